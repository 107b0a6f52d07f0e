// LoRA adapters as program inputs (issue: training and inference, item 6): y = W x + B (A x), with A [r, C] and B [C, r]
// (alpha / r already folded into B by the host), both input surfaces, so another adapter is new inputs, not a compile.
using Orion.Engine.Graph;
using Orion.Engine.Tensors;

namespace Orion.Engine.Model.Device;

public static partial class LayerPrograms
{
    private static void LoraInputs(Layer l, LoraShape lora)
    {
        lora.Validate();
        foreach (var t in lora.Targets)
        {
            l.B.Input(LoraShape.InputA(t), new Shape(1, 1, lora.Capacity, l.C));
            l.B.Input(LoraShape.InputB(t), new Shape(1, 1, l.C, lora.Capacity));
        }
    }

    // base: (C, T) = W x; returns base + B (A x) when the adapter targets this projection.
    private static Node WithLora(Layer l, LoraShape? lora, string target, Node projection, Node x)
    {
        if (lora is null || !lora.Targets.Contains(target)) return projection;
        var b = l.B;
        var a = b.Graph.Nodes.First(n => n.Op == OpKind.Input && n.Name == LoraShape.InputA(target));
        var bm = b.Graph.Nodes.First(n => n.Op == OpKind.Input && n.Name == LoraShape.InputB(target));
        var x2 = b.Reshape(x, new Shape(1, 1, l.C, l.T), $"lora_{target}_x");
        var ax = b.MatMul(a, x2, name: $"lora_{target}_ax");                 // [1, 1, r, T]
        var bax = b.MatMul(bm, ax, name: $"lora_{target}_bax");             // [1, 1, C, T]
        return b.Add(projection, b.Reshape(bax, Shape.Ane(l.C, l.T), $"lora_{target}_d"), $"{target}_lora");
    }
}
