// Reductions and softmax (coremltools reduction ops, activation.softmax): axes resolved at Build, sums kept in double.
namespace Orion.Engine.Ane.Emulated.Ops;

internal static class ReductionOps
{
    // reduce_sum / reduce_mean / reduce_max(x, axes = [...], keep_dims = false); no axes means all of them.
    public static void Reduce(PlanBuilder b)
    {
        b.Allow("x", "axes", "keep_dims");
        var x = b.Input("x");
        b.RequireFloat(x, "x");
        var reduced = new bool[x.Rank];
        var axes = b.OptionalInts("axes") ?? Enumerable.Range(0, x.Rank).ToArray();
        foreach (var a in axes)
        {
            int ax = b.Axis(a, x.Rank, "axes entry");
            if (reduced[ax]) b.Fail($"axis {a} appears twice in axes", "list each axis once");
            reduced[ax] = true;
        }
        bool keep = b.Bool("keep_dims", false);
        var kept = x.Dims.Select((d, i) => reduced[i] ? 1 : d).ToArray();
        var outDims = keep ? kept : x.Dims.Where((_, i) => !reduced[i]).ToArray();
        var o = b.Output(x.DType, outDims);
        // map[i] = output element that input element i folds into.
        int[] map = ElementwiseOps.IndexMap(kept, x.Dims);
        var acc = new double[o.Count];
        float[] src = x.Data, dst = o.Data;
        double count = o.Count == 0 ? 1 : (double)x.Count / o.Count;
        Action run = b.Op switch
        {
            "reduce_sum" => () => Sum(src, map, acc, dst, 1.0),
            "reduce_mean" => () => Sum(src, map, acc, dst, 1.0 / count),
            _ => () => Max(src, map, dst),
        };
        b.Step(o, [x], run);
    }

    private static void Sum(float[] src, int[] map, double[] acc, float[] dst, double scale)
    {
        Array.Clear(acc);
        for (int i = 0; i < src.Length; i++) acc[map[i]] += src[i];
        for (int i = 0; i < dst.Length; i++) dst[i] = (float)(acc[i] * scale);
    }

    private static void Max(float[] src, int[] map, float[] dst)
    {
        Array.Fill(dst, float.NegativeInfinity);
        for (int i = 0; i < src.Length; i++)
        {
            float v = src[i];
            ref float m = ref dst[map[i]];
            if (v > m || float.IsNaN(v)) m = v;
        }
    }

    // softmax(x, axis = -1): exp(x - max) / sum, over one axis.
    public static void Softmax(PlanBuilder b)
    {
        b.Allow("x", "axis");
        var x = b.Input("x");
        b.RequireFloat(x, "x");
        int axis = b.Axis(b.Int("axis", -1), x.Rank);
        var o = b.Output(x.DType, x.Dims);
        int n = x.Dims[axis];
        int inner = PlanTensor.ElementCount(x.Dims.AsSpan(axis + 1));
        int outer = PlanTensor.ElementCount(x.Dims.AsSpan(0, axis));
        float[] src = x.Data, dst = o.Data;
        b.Step(o, [x], () => SoftmaxKernel(src, dst, outer, n, inner));
    }

    private static void SoftmaxKernel(float[] src, float[] dst, int outer, int n, int inner)
    {
        for (int a = 0; a < outer; a++)
        {
            for (int c = 0; c < inner; c++)
            {
                int start = a * n * inner + c;
                float max = float.NegativeInfinity;
                for (int k = 0; k < n; k++) max = MathF.Max(max, src[start + k * inner]);
                double sum = 0;
                for (int k = 0; k < n; k++)
                {
                    float e = MathF.Exp(src[start + k * inner] - max);
                    dst[start + k * inner] = e;
                    sum += e;
                }
                float inv = (float)(1.0 / sum);
                for (int k = 0; k < n; k++) dst[start + k * inner] *= inv;
            }
        }
    }
}
