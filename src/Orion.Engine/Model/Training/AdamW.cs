// AdamW over the flat parameter buffer (style.md: llm.c's one flat loop): bias-corrected moments, decoupled weight
// decay on matrices and embeddings only, after global-norm gradient clipping.
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

    /// <summary>The L2 norm of the whole gradient (double accumulation, fixed order).</summary>
    public static double GlobalNorm(ReadOnlySpan<float> grad)
    {
        double s = 0;
        foreach (var g in grad) s += (double)g * g;
        return Math.Sqrt(s);
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
        var pd = p.Data; var gd = grad.Data; var md = m.Data; var vd = v.Data;
        for (int ti = 0; ti < p.Layout.Tensors.Count; ti++)
        {
            var tensor = p.Layout.Tensors[ti];
            float wd = decay[ti] ? o.WeightDecay : 0f;
            int end = checked((int)(tensor.Offset + tensor.Size));
            for (int i = (int)tensor.Offset; i < end; i++)
            {
                float g = gd[i] * gradScale;
                md[i] = o.Beta1 * md[i] + (1 - o.Beta1) * g;
                vd[i] = o.Beta2 * vd[i] + (1 - o.Beta2) * g * g;
                pd[i] -= lr * (md[i] * c1 / (MathF.Sqrt(vd[i] * c2) + o.Epsilon) + wd * pd[i]);
            }
        }
    }
}
