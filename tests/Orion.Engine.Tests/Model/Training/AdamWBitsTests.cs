// AdamW runs vectorized; each element must still get exactly the bits of the one-element-at-a-time arithmetic (no
// fused multiply-add, same operation order), or a run resumed on another CPU, or journaled before the kernel changed,
// would no longer replay exactly. The reference below is that scalar loop, written out.
using Orion.Engine.Model;
using Orion.Engine.Model.Training;
using Xunit;

namespace Orion.Engine.Tests.Model.Training;

public sealed class AdamWBitsTests
{
    private static void Reference(ModelParameters p, ModelParameters grad, ModelParameters m, ModelParameters v, long t, float lr, float gradScale, TrainingOptions o)
    {
        var decay = AdamW.DecayMask(p.Layout);
        float c1 = 1f / (1f - MathF.Pow(o.Beta1, t)), c2 = 1f / (1f - MathF.Pow(o.Beta2, t));
        for (int ti = 0; ti < p.Layout.Tensors.Count; ti++)
        {
            var tensor = p.Layout.Tensors[ti];
            float wd = decay[ti] ? o.WeightDecay : 0f;
            for (int i = (int)tensor.Offset; i < tensor.Offset + tensor.Size; i++)
            {
                float g = grad.Data[i] * gradScale;
                m.Data[i] = o.Beta1 * m.Data[i] + (1 - o.Beta1) * g;
                v.Data[i] = o.Beta2 * v.Data[i] + (1 - o.Beta2) * g * g;
                p.Data[i] -= lr * (m.Data[i] * c1 / (MathF.Sqrt(v.Data[i] * c2) + o.Epsilon) + wd * p.Data[i]);
            }
        }
    }

    [Theory]
    [InlineData("gpt2-tiny")]
    [InlineData("stories-tiny")]
    public void Step_ManySteps_SameBitsAsTheScalarLoop(string model)
    {
        var config = ModelConfig.Preset(model);
        var o = new TrainingOptions { WeightDecay = 0.1f };
        var p = ModelParameters.Initialize(config, 7);
        var (m, v) = (ModelParameters.Zeros(p.Layout), ModelParameters.Zeros(p.Layout));
        var (rp, rm, rv) = (p.Clone(), m.Clone(), v.Clone());
        var rng = new Random(11);
        var g = ModelParameters.Zeros(p.Layout);
        for (long t = 1; t <= 5; t++)
        {
            // Gradients over many magnitudes, including tiny and huge ones, where a rounding difference would show.
            for (int i = 0; i < g.Data.Length; i++) g.Data[i] = (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-8, 4)));
            AdamW.Step(p, g, m, v, t, 3e-3f, 1f / 4096, o);
            Reference(rp, g, rm, rv, t, 3e-3f, 1f / 4096, o);
        }
        Assert.Equal(rp.Data.Select(BitConverter.SingleToInt32Bits), p.Data.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(rm.Data.Select(BitConverter.SingleToInt32Bits), m.Data.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(rv.Data.Select(BitConverter.SingleToInt32Bits), v.Data.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(23)]
    [InlineData(120_576)]
    public void GlobalNorm_AnyLength_IsTheL2NormInDouble(int length)
    {
        var rng = new Random(length);
        var g = Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        decimal exact = g.Aggregate(0m, (acc, x) => acc + (decimal)((double)x * x));
        double expected = Math.Sqrt((double)exact), actual = AdamW.GlobalNorm(g);
        Assert.True(Math.Abs(actual - expected) <= 1e-12 * expected, $"norm {actual:R}, expected {expected:R}");
        Assert.Equal(5.0, AdamW.GlobalNorm([3f, 4f]));
    }
}
