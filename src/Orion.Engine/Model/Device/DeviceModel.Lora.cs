// Adapters as inputs: writes each layer's LoRA surfaces (A padded to the program's rank capacity with zero rows, B
// scaled by alpha / r and padded with zero columns). No compile, no patch: the next evaluation uses them.
using Orion.Engine.Model.Inference;

namespace Orion.Engine.Model.Device;

public sealed partial class DeviceModel
{
    /// <summary>Installs <paramref name="adapter"/> (null = none: zero inputs, the base model).</summary>
    public void SetAdapter(LoraAdapter? adapter)
    {
        var shape = Lora ?? throw new InvalidOperationException("this model was compiled without LoRA inputs; make it with a LoraShape");
        if (adapter is not null)
        {
            if (adapter.Config.Channels != Config.Channels || adapter.Config.Layers != Config.Layers)
                throw new ArgumentException($"the adapter is for {adapter.Config.Layers} layers of width {adapter.Config.Channels}; this model has {Config.Layers} of width {Config.Channels}", nameof(adapter));
            if (adapter.Rank > shape.Capacity) throw new ArgumentException($"adapter rank {adapter.Rank} exceeds the programs' LoRA capacity {shape.Capacity}", nameof(adapter));
            var extra = adapter.Targets.Except(shape.Targets).ToList();
            if (extra.Count > 0) throw new ArgumentException($"the adapter targets {string.Join(", ", extra)}, which the programs were not compiled for (they take {string.Join(", ", shape.Targets)})", nameof(adapter));
        }
        int c = Config.Channels, cap = shape.Capacity;
        for (int l = 0; l < Config.Layers; l++)
        {
            var program = Program(l, ProgramKind.ForwardAttention);
            foreach (var t in shape.Targets)
            {
                var a = new float[cap * c];
                var b = new float[c * cap];
                if (adapter is not null && adapter.Targets.Contains(t))
                {
                    var (wa, wb) = adapter.Weights(l, t);
                    int r = adapter.Rank;
                    wa.CopyTo(a, 0);                                   // rows r..cap-1 stay zero
                    for (int o = 0; o < c; o++)
                        for (int k = 0; k < r; k++) b[o * cap + k] = wb[o * r + k] * adapter.Scale;
                }
                program.SetInput(LoraShape.InputA(t), a);
                program.SetInput(LoraShape.InputB(t), b);
            }
        }
        Adapter = adapter;
    }

    public LoraAdapter? Adapter { get; private set; }
}
