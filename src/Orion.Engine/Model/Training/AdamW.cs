// AdamW over the flat parameter buffer (style.md: llm.c's one flat loop): bias-corrected moments, decoupled weight
// decay on matrices and embeddings only, after global-norm gradient clipping.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Orion.Engine.Model.Training;

public static class AdamW
{
    /// <summary>Per element: 1 where weight decay applies (tensors of rank >= 2 in the layout's per-layer sense), else 0.</summary>
    public static bool[] DecayMask(ParameterLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var mask = new bool[layout.Tensors.Count];
        for (int i = 0; i < mask.Length; i++)
        {
            var t = layout.Tensors[i];
            mask[i] = t.Shape.Length - (t.PerLayer ? 1 : 0) >= 2;
        }
        return mask;
    }

    /// <summary>
    /// The L2 norm of the whole gradient, in double. Element i goes to accumulator i mod 8, and the eight are added in
    /// a fixed order at the end: the same bits on every CPU (the lane count is ours, not the vector width), and eight
    /// independent chains instead of one, so the sum is not bound by the latency of one addition after another.
    /// (Each product of two floats is exact in double; only the order of the additions rounds.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once a step: tiering would leave it unoptimized for the first dozens
    public static double GlobalNorm(ReadOnlySpan<float> grad)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= grad.Length; i += 8)
        {
            s0 += (double)grad[i] * grad[i];
            s1 += (double)grad[i + 1] * grad[i + 1];
            s2 += (double)grad[i + 2] * grad[i + 2];
            s3 += (double)grad[i + 3] * grad[i + 3];
            s4 += (double)grad[i + 4] * grad[i + 4];
            s5 += (double)grad[i + 5] * grad[i + 5];
            s6 += (double)grad[i + 6] * grad[i + 6];
            s7 += (double)grad[i + 7] * grad[i + 7];
        }
        for (int lane = 0; i < grad.Length; i++, lane++)
        {
            double sq = (double)grad[i] * grad[i];
            switch (lane)
            {
                case 0: s0 += sq; break;
                case 1: s1 += sq; break;
                case 2: s2 += sq; break;
                case 3: s3 += sq; break;
                case 4: s4 += sq; break;
                case 5: s5 += sq; break;
                default: s6 += sq; break;
            }
        }
        return Math.Sqrt(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
    }

    /// <summary>
    /// One update at step <paramref name="t"/> (1-based). <paramref name="gradScale"/> multiplies every gradient first
    /// (it undoes loss scaling and applies clipping in one pass).
    /// </summary>
    public static void Step(ModelParameters p, ModelParameters grad, ModelParameters m, ModelParameters v, long t, float lr, float gradScale, TrainingOptions o)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(o);
        var decay = DecayMask(p.Layout);
        float c1 = 1f / (1f - MathF.Pow(o.Beta1, t)), c2 = 1f / (1f - MathF.Pow(o.Beta2, t));
        var k = new Constants(o.Beta1, 1 - o.Beta1, o.Beta2, 1 - o.Beta2, c1, c2, o.Epsilon, lr, gradScale);
        for (int ti = 0; ti < p.Layout.Tensors.Count; ti++)
        {
            var tensor = p.Layout.Tensors[ti];
            int start = checked((int)tensor.Offset), size = checked((int)tensor.Size);
            Update(p.Data.AsSpan(start, size), grad.Data.AsSpan(start, size), m.Data.AsSpan(start, size), v.Data.AsSpan(start, size),
                decay[ti] ? o.WeightDecay : 0f, k);
        }
    }

    private readonly record struct Constants(float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float C1, float C2, float Epsilon, float Lr, float GradScale);

    /// <summary>
    /// Each element is updated on its own, with the same operations in the same order whether 1 or 8 lanes wide (no
    /// fused multiply-add, which would round once instead of twice): the vector width never changes a bit, so a
    /// resumed run and a run on another CPU agree with the scalar arithmetic exactly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Update(Span<float> pd, ReadOnlySpan<float> gd, Span<float> md, Span<float> vd, float wd, in Constants k)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && pd.Length >= Vector<float>.Count)
        {
            var vp = MemoryMarshal.Cast<float, Vector<float>>(pd);
            var vg = MemoryMarshal.Cast<float, Vector<float>>(gd);
            var vm = MemoryMarshal.Cast<float, Vector<float>>(md);
            var vv = MemoryMarshal.Cast<float, Vector<float>>(vd);
            Vector<float> b1 = new(k.Beta1), nb1 = new(k.OneMinusBeta1), b2 = new(k.Beta2), nb2 = new(k.OneMinusBeta2);
            Vector<float> c1 = new(k.C1), c2 = new(k.C2), eps = new(k.Epsilon), lr = new(k.Lr), scale = new(k.GradScale), decay = new(wd);
            for (int j = 0; j < vp.Length; j++)
            {
                var g = vg[j] * scale;
                var mj = b1 * vm[j] + nb1 * g;
                var vj = b2 * vv[j] + nb2 * g * g;
                vm[j] = mj;
                vv[j] = vj;
                vp[j] -= lr * (mj * c1 / (Vector.SquareRoot(vj * c2) + eps) + decay * vp[j]);
            }
            i = vp.Length * Vector<float>.Count;
        }
        for (; i < pd.Length; i++)
        {
            float g = gd[i] * k.GradScale;
            md[i] = k.Beta1 * md[i] + k.OneMinusBeta1 * g;
            vd[i] = k.Beta2 * vd[i] + k.OneMinusBeta2 * g * g;
            pd[i] -= k.Lr * (md[i] * k.C1 / (MathF.Sqrt(vd[i] * k.C2) + k.Epsilon) + wd * pd[i]);
        }
    }
}
