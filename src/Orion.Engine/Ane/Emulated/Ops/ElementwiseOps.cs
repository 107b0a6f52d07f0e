// Elementwise MIL ops (coremltools elementwise_unary/binary, cast): numpy broadcasting resolved at Build into index maps.
// Kernels compute in fp32; the plan rounds fp16 outputs at the op boundary (ane-reference.md section 6).
using Orion.Engine.Tensors;

namespace Orion.Engine.Ane.Emulated.Ops;

internal static class ElementwiseOps
{
    public static void Unary(PlanBuilder b)
    {
        b.Allow("x");
        var x = b.Input("x");
        if (b.Op != "identity") b.RequireFloat(x, "x");
        var o = b.Output(x.DType, x.Dims);
        float[] src = x.Data, dst = o.Data;
        Action run = b.Op switch
        {
            "identity" => () => src.AsSpan().CopyTo(dst),
            "neg" => () => Map<Neg>(src, dst),
            "relu" => () => Map<Relu>(src, dst),
            "sqrt" => () => Map<Sqrt>(src, dst),
            "exp" => () => MapScalar(src, dst, MathF.Exp),
            "sigmoid" => () => MapScalar(src, dst, v => 1f / (1f + MathF.Exp(-v))),
            "tanh" => () => MapScalar(src, dst, MathF.Tanh),
            _ => throw b.Error("not a unary op"),
        };
        b.Step(o, [x], run);
    }

    public static void Binary(PlanBuilder b)
    {
        b.Allow("x", "y");
        var x = b.Input("x");
        var y = b.Input("y");
        if (x.DType != y.DType)
            b.Fail($"x is {x} but y is {y}; {b.Op} needs one dtype", "cast one operand");
        var dims = Broadcast(b, x.Dims, y.Dims);
        var o = b.Output(x.DType, dims);
        Action run = b.Op switch
        {
            "add" => Plan<Add>(x, y, o),
            "sub" => Plan<Sub>(x, y, o),
            "mul" => Plan<Mul>(x, y, o),
            "real_div" => Plan<Div>(x, y, o),
            "pow" => Plan<Pow>(x, y, o),
            _ => throw b.Error("not a binary op"),
        };
        b.Step(o, [x, y], run);
    }

    // cast(x, dtype = string("fp16")): float targets keep the value (fp16 rounding at the boundary); integers truncate and saturate.
    public static void Cast(PlanBuilder b)
    {
        b.Allow("x", "dtype");
        var x = b.Input("x");
        var name = b.String("dtype", "");
        if (!DTypes.TryParseMil(name, out var to) || to is DType.String or DType.UInt64)
            b.Fail($"dtype '{name}' is not a cast target", "use \"fp16\", \"fp32\", \"int32\", \"int8\", \"uint8\" or \"bool\"");
        var o = b.Output(to, x.Dims);
        float[] src = x.Data, dst = o.Data;
        (float Lo, float Hi)? range = to switch
        {
            DType.Int32 => (int.MinValue, int.MaxValue),
            DType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
            DType.UInt8 => (byte.MinValue, byte.MaxValue),
            _ => null,
        };
        Action run = to == DType.Bool ? () => MapScalar(src, dst, v => v != 0 ? 1f : 0f)
            : range is { } r ? () => MapScalar(src, dst, v => float.IsNaN(v) ? 0f : Math.Clamp(MathF.Truncate(v), r.Lo, r.Hi))
            : () => src.AsSpan().CopyTo(dst);
        b.Step(o, [x], run);
    }

    /// <summary>numpy broadcasting: align trailing dims; each pair equal or one of them 1.</summary>
    public static int[] Broadcast(PlanBuilder b, int[] x, int[] y)
    {
        int rank = Math.Max(x.Length, y.Length);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int dx = i - (rank - x.Length) is var ix && ix >= 0 ? x[ix] : 1;
            int dy = i - (rank - y.Length) is var iy && iy >= 0 ? y[iy] : 1;
            if (dx != dy && dx != 1 && dy != 1)
                b.Fail($"shapes {PlanTensor.DescribeShape(x)} and {PlanTensor.DescribeShape(y)} do not broadcast (axis {i}: {dx} vs {dy})",
                    "each dimension must match or be 1; reshape one operand");
            dims[i] = dx == 1 ? dy : dx;
        }
        return dims;
    }

    /// <summary>For each output element, the flat index of the broadcast source element.</summary>
    public static int[] IndexMap(int[] src, int[] outDims)
    {
        int rank = outDims.Length, n = PlanTensor.ElementCount(outDims);
        var strides = new int[rank];
        for (int i = rank - 1, s = 1; i >= 0; i--)
        {
            int si = i - (rank - src.Length);
            int d = si >= 0 ? src[si] : 1;
            strides[i] = d == 1 ? 0 : s;
            s *= d;
        }
        var map = new int[n];
        var idx = new int[rank];
        int flat = 0;
        for (int k = 0; k < n; k++)
        {
            map[k] = flat;
            for (int a = rank - 1; a >= 0; a--)
            {
                flat += strides[a];
                if (++idx[a] < outDims[a]) break;
                flat -= strides[a] * outDims[a];
                idx[a] = 0;
            }
        }
        return map;
    }

    // Build-time choice of loop; the returned closure is the run-time work.
    private static Action Plan<TOp>(PlanTensor x, PlanTensor y, PlanTensor o) where TOp : IBinaryOp
    {
        float[] a = x.Data, c = y.Data, d = o.Data;
        if (x.Count == o.Count && y.Count == o.Count) return () => BinaryKernels.Same<TOp>(a, c, d);
        if (y.Count == 1 && x.Count == o.Count) return () => BinaryKernels.ScalarRight<TOp>(a, c[0], d);
        if (x.Count == 1 && y.Count == o.Count) return () => BinaryKernels.ScalarLeft<TOp>(a[0], c, d);
        int[] ia = IndexMap(x.Dims, o.Dims), ic = IndexMap(y.Dims, o.Dims);
        return () => BinaryKernels.Mapped<TOp>(a, ia, c, ic, d);
    }

    private static void Map<TOp>(float[] src, float[] dst) where TOp : IUnaryOp
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            int w = System.Numerics.Vector<float>.Count;
            for (; i <= src.Length - w; i += w) TOp.Apply(new System.Numerics.Vector<float>(src, i)).CopyTo(dst, i);
        }
        for (; i < src.Length; i++) dst[i] = TOp.Apply(src[i]);
    }

    private static void MapScalar(float[] src, float[] dst, Func<float, float> f)
    {
        for (int i = 0; i < src.Length; i++) dst[i] = f(src[i]);
    }
}
