// Evaluates small all-constant subgraphs at compile time (used by the fuse pass), with fp16 rounding like the device.
using Orion.Engine.Graph;
using Orion.Engine.Tensors;

namespace Orion.Engine.Compiler;

internal static class ConstEval
{
    private const long MaxFoldElements = 1 << 20;

    public static bool CanFold(Node n) =>
        n.Op is OpKind.Reshape or OpKind.Transpose or OpKind.Neg or OpKind.Add or OpKind.Sub or OpKind.Mul or OpKind.Div
            or OpKind.Pow or OpKind.Sqrt or OpKind.Exp or OpKind.Cast
        && n.Inputs.Count > 0 && n.Inputs.All(i => i.IsConst) && n.Type.Shape.ElementCount <= MaxFoldElements
        && DTypes.IsFloat(n.Type.DType);

    public static float[] Fold(Node n)
    {
        var r = n.Op switch
        {
            OpKind.Reshape or OpKind.Cast => (float[])n.Inputs[0].Data!.Clone(),
            OpKind.Transpose => Transpose(n.Inputs[0], n.Attributes.Perm!),
            OpKind.Neg => n.Inputs[0].Data!.Select(v => -v).ToArray(),
            OpKind.Sqrt => n.Inputs[0].Data!.Select(MathF.Sqrt).ToArray(),
            OpKind.Exp => n.Inputs[0].Data!.Select(MathF.Exp).ToArray(),
            _ => Binary(n),
        };
        if (n.Type.DType == DType.Fp16) for (int i = 0; i < r.Length; i++) r[i] = Fp16.Round(r[i]);
        return r;
    }

    private static float[] Binary(Node n)
    {
        Func<float, float, float> f = n.Op switch
        {
            OpKind.Add => (a, b) => a + b,
            OpKind.Sub => (a, b) => a - b,
            OpKind.Mul => (a, b) => a * b,
            OpKind.Div => (a, b) => a / b,
            OpKind.Pow => MathF.Pow,
            _ => throw new GraphException($"cannot fold {n.Op}"),
        };
        var shape = n.Type.Shape;
        var x = n.Inputs[0];
        var y = n.Inputs[1];
        var result = new float[shape.ElementCount];
        for (long i = 0; i < result.Length; i++)
            result[i] = f(x.Data![BroadcastIndex(i, shape, x.Type.Shape)], y.Data![BroadcastIndex(i, shape, y.Type.Shape)]);
        return result;
    }

    /// <summary>The flat index into <paramref name="source"/> that broadcasting maps output element <paramref name="flat"/> to.</summary>
    internal static long BroadcastIndex(long flat, Shape output, Shape source)
    {
        long idx = 0, stride = 1;
        int offset = output.Rank - source.Rank;
        for (int d = output.Rank - 1; d >= 0; d--)
        {
            long coord = flat % output[d];
            flat /= output[d];
            int sd = d - offset;
            if (sd < 0) continue;
            if (source[sd] != 1) idx += coord * stride;
            stride *= source[sd];
        }
        return idx;
    }

    private static float[] Transpose(Node x, IReadOnlyList<int> perm)
    {
        var s = x.Type.Shape;
        int r = s.Rank;
        var outDims = perm.Select(p => s[p]).ToArray();
        var inStrides = new long[r];
        long st = 1;
        for (int d = r - 1; d >= 0; d--) { inStrides[d] = st; st *= s[d]; }
        var result = new float[s.ElementCount];
        var coord = new int[r];
        for (long i = 0; i < result.Length; i++)
        {
            long rem = i, src = 0;
            for (int d = r - 1; d >= 0; d--) { coord[d] = (int)(rem % outDims[d]); rem /= outDims[d]; }
            for (int d = 0; d < r; d++) src += coord[d] * inStrides[perm[d]];
            result[i] = x.Data![src];
        }
        return result;
    }
}
