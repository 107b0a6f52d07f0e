// Pass 1, legalize: rewrite the graph into forms the ANE compiles (ane-reference.md section 7).
// gelu -> tanh form (R10); conv bias split off (R13); matmul with constant weights -> 1x1 conv (R17);
// channel concat -> selection convs where the profile forbids concat (R01); interface tensors to rank 4.
using Orion.Engine.Graph;
using Orion.Engine.Tensors;

namespace Orion.Engine.Compiler;

public static class LegalizePass
{
    public static void Run(PassContext ctx)
    {
        var g = ctx.Graph;
        InterfaceToRank4(g);
        foreach (var n in g.Nodes.ToList())
        {
            switch (n.Op)
            {
                case OpKind.Gelu: GeluToTanh(g, n); break;
                case OpKind.Conv when n.Inputs.Count == 3: SplitConvBias(g, n); break;
                case OpKind.MatMul: TryMatMulToConv(g, n); break;
                case OpKind.Concat when !ctx.Profile.ConcatAllowed: ConcatToConvs(ctx, n); break;
            }
        }
        g.RemoveDeadNodes();
    }

    // The ANE's tensors are rank 4 [1, C, 1, S]: [C, S] becomes [1, C, 1, S], other ranks gain leading ones.
    internal static Shape ToRank4(Shape s) => s.Rank switch
    {
        0 => new Shape(1, 1, 1, 1),
        1 => new Shape(1, 1, 1, s[0]),
        2 => new Shape(1, s[0], 1, s[1]),
        3 => new Shape(1, s[0], s[1], s[2]),
        4 => s,
        _ => throw new GraphException($"tensor {s} has rank {s.Rank}; ANE programs take rank 4 [1, C, 1, S] (reshape it before the program boundary)"),
    };

    private static void InterfaceToRank4(Graph.Graph g)
    {
        foreach (var input in g.Inputs.Where(i => i.Type.Shape.Rank != 4).ToList())
        {
            var original = input.Type;
            input.Type = original with { Shape = ToRank4(original.Shape) };
            var first = g.Nodes.First(n => n.Op != OpKind.Input);
            var back = g.InsertBefore(first, OpKind.Reshape, input.Name + "_r", [input], original, new NodeAttributes { NewShape = original.Shape });
            foreach (var u in g.Users(input).Where(u => u != back).ToList())
                for (int i = 0; i < u.Inputs.Count; i++) if (u.Inputs[i] == input) u.Inputs[i] = back;
            for (int i = 0; i < g.Outputs.Count; i++) if (g.Outputs[i].Node == input) g.Outputs[i] = (g.Outputs[i].Name, back);
        }
        for (int i = 0; i < g.Outputs.Count; i++)
        {
            var (name, node) = g.Outputs[i];
            if (node.Type.Shape.Rank == 4) continue;
            var r = g.Add(OpKind.Reshape, node.Name + "_r4", [node], node.Type with { Shape = ToRank4(node.Type.Shape) }, new NodeAttributes { NewShape = ToRank4(node.Type.Shape) });
            g.Outputs[i] = (name, r);
        }
    }

    // gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))): the only GELU the ANE compiles (R10).
    private static void GeluToTanh(Graph.Graph g, Node n)
    {
        var x = n.Inputs[0];
        var t = x.Type;
        Node S(float v, string name) => g.InsertBefore(n, OpKind.Const, name, [], new TensorType(t.DType, Shape.Scalar), null, [t.DType == DType.Fp16 ? Fp16.Round(v) : v]);
        Node B(OpKind op, Node a, Node b, string name) => g.InsertBefore(n, op, name, [a, b], new TensorType(t.DType, ShapeInference.Broadcast(op, a.Type.Shape, b.Type.Shape)));
        Node U(OpKind op, Node a, string name) => g.InsertBefore(n, op, name, [a], a.Type);
        var x2 = B(OpKind.Mul, x, x, n.Name + "_x2");
        var x3 = B(OpKind.Mul, x2, x, n.Name + "_x3");
        var inner = B(OpKind.Add, x, B(OpKind.Mul, x3, S(0.044715f, n.Name + "_c"), n.Name + "_cx3"), n.Name + "_in");
        var th = U(OpKind.Tanh, B(OpKind.Mul, inner, S(MathF.Sqrt(2f / MathF.PI), n.Name + "_k"), n.Name + "_kin"), n.Name + "_tanh");
        var onePlus = B(OpKind.Add, th, S(1f, n.Name + "_one"), n.Name + "_1p");
        var y = B(OpKind.Mul, B(OpKind.Mul, x, S(0.5f, n.Name + "_half"), n.Name + "_hx"), onePlus, n.Name + "_gelu");
        g.ReplaceAllUses(n, y);
    }

    // conv has no bias parameter on the ANE (R13): conv, then add the bias as a [1, OC, 1, 1] constant.
    private static void SplitConvBias(Graph.Graph g, Node n)
    {
        var bias = n.Inputs[2];
        n.Inputs.RemoveAt(2);
        var oc = n.Type.Shape[1];
        var b4 = g.InsertBefore(n, OpKind.Reshape, bias.Name + "_4", [bias], bias.Type with { Shape = new Shape(1, oc, 1, 1) }, new NodeAttributes { NewShape = new Shape(1, oc, 1, 1) });
        var add = g.InsertAfter(n, OpKind.Add, n.Name + "_bias", [n, b4], n.Type);
        foreach (var u in g.Users(n).Where(u => u != add).ToList())
            for (int i = 0; i < u.Inputs.Count; i++) if (u.Inputs[i] == n) u.Inputs[i] = add;
        for (int i = 0; i < g.Outputs.Count; i++) if (g.Outputs[i].Node == n) g.Outputs[i] = (g.Outputs[i].Name, add);
    }

    // matmul(W, x) with W a constant [.., O, I] (leading ones) and x [1, 1, I, S] is a 1x1 conv on [1, I, 1, S],
    // ~3x faster on the ANE (R17) and the form whose weights a delta patch can rewrite.
    private static void TryMatMulToConv(Graph.Graph g, Node n)
    {
        var w = n.Inputs[0];
        var x = n.Inputs[1];
        var a = n.Attributes;
        if (!w.IsConst || a.TransposeY || x.IsConst) return;
        var ws = w.Type.Shape;
        var xs = x.Type.Shape;
        if (ws.Rank < 2 || xs.Rank != 4 || xs[0] != 1 || xs[1] != 1) return;
        for (int i = 0; i < ws.Rank - 2; i++) if (ws[i] != 1) return;
        int o = a.TransposeX ? ws[-1] : ws[-2], inC = a.TransposeX ? ws[-2] : ws[-1];
        int s = xs[3];
        var data = w.Data!;
        if (a.TransposeX)
        {
            var t = new float[data.Length];
            for (int r = 0; r < inC; r++) for (int c = 0; c < o; c++) t[c * inC + r] = data[r * o + c];
            data = t;
        }
        var weight = g.InsertBefore(n, OpKind.Const, w.Name + "_conv", [], new TensorType(w.Type.DType, new Shape(o, inC, 1, 1)), null, data);
        var x4 = g.InsertBefore(n, OpKind.Reshape, x.Name + "_c", [x], x.Type with { Shape = Shape.Ane(inC, s) }, new NodeAttributes { NewShape = Shape.Ane(inC, s) });
        var conv = g.InsertBefore(n, OpKind.Conv, n.Name, [x4, weight], new TensorType(n.Type.DType, Shape.Ane(o, s)));
        var back = g.InsertBefore(n, OpKind.Reshape, n.Name + "_m", [conv], n.Type, new NodeAttributes { NewShape = n.Type.Shape });
        g.ReplaceAllUses(n, back);
        g.TakeName(conv, n);
        if (!g.Users(w).Any(u => u != n) && !g.IsOutput(w)) g.TakeName(weight, w);
    }

    // Where the profile forbids concat (R01), a channel concat of [1, Ci, 1, S] tensors is the sum of 1x1 convs with
    // 0/1 selection weights: exact in fp16 (each output is one input value plus zeros).
    private static void ConcatToConvs(PassContext ctx, Node n)
    {
        var g = ctx.Graph;
        int axis = ShapeInference.NormalizeAxis(OpKind.Concat, n.Attributes.Axis, n.Type.Shape.Rank);
        if (axis != 1 || !n.Type.Shape.IsAneLayout || n.Inputs.Any(i => !i.Type.Shape.IsAneLayout))
        {
            ctx.Error("R01", $"concat on axis {n.Attributes.Axis} of {string.Join(", ", n.Inputs.Select(i => i.Type.Shape.ToString()))} fails to compile on profile {ctx.Profile.Name} and only channel concats of [1, C, 1, S] tensors can be rewritten; return the parts as separate outputs of a multi-output program", "concat");
            return;
        }
        int total = n.Type.Shape[1], offset = 0;
        Node? sum = null;
        foreach (var part in n.Inputs)
        {
            int c = part.Type.Shape[1];
            var sel = new float[total * c];
            for (int i = 0; i < c; i++) sel[(offset + i) * c + i] = 1f;
            var w = g.InsertBefore(n, OpKind.Const, $"{n.Name}_sel{offset}", [], new TensorType(n.Type.DType, new Shape(total, c, 1, 1)), null, sel);
            var conv = g.InsertBefore(n, OpKind.Conv, $"{n.Name}_part{offset}", [part, w], n.Type);
            sum = sum is null ? conv : g.InsertBefore(n, OpKind.Add, $"{n.Name}_sum{offset}", [sum, conv], n.Type);
            offset += c;
        }
        g.ReplaceAllUses(n, sum!);
    }
}
