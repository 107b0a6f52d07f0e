// Training on the emulated device: the compile count is fixed after the first step (delta patches only), two runs with
// one seed agree bit for bit, the loss falls on the built-in corpus, and the optimizer pieces behave as specified.
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Data;
using Orion.Engine.Model;
using Orion.Engine.Model.Training;
using Xunit;

namespace Orion.Engine.Tests.Model.Training;

public sealed class TrainerTests
{
    private static readonly Lazy<ushort[]> Corpus = new(() => BuiltinCorpus.Tokens(400));

    internal static TrainingOptions Tiny(int steps) => new() { Steps = steps, Batch = 2, Seq = 64, WarmupSteps = 2, LearningRate = 3e-3f };

    private static (float[] Losses, float[] Weights, int[] Compiles) Run(int steps)
    {
        var options = Tiny(steps);
        var state = TrainingState.Fresh(ModelConfig.Preset("gpt2-tiny"), options);
        using var device = new EmulatedAneDevice();
        using var trainer = new Trainer(device, state, options, Corpus.Value);
        var losses = new List<float>();
        var compiles = new List<int> { device.CompileCount };
        while (!trainer.Done)
        {
            losses.Add(trainer.Step().Loss);
            compiles.Add(device.CompileCount);
        }
        return (losses.ToArray(), state.Parameters.Data, compiles.ToArray());
    }

    [Fact]
    public void Step_AfterTheFirst_CompileCountStaysConstantAndWeightsArePatched()
    {
        var (_, _, compiles) = Run(4);
        Assert.Equal(4 * 2, compiles[0]);
        Assert.All(compiles, c => Assert.Equal(compiles[1], c));
    }

    [Fact]
    public void Run_SameSeedTwice_BitIdenticalLossesAndWeights()
    {
        var a = Run(3);
        var b = Run(3);
        Assert.Equal(a.Losses.Select(BitConverter.SingleToInt32Bits), b.Losses.Select(BitConverter.SingleToInt32Bits));
        Assert.True(a.Weights.AsSpan().SequenceEqual(b.Weights), "weights differ between two runs with the same seed");
    }

    [Fact]
    public void Run_BuiltinCorpus_LossFalls()
    {
        var (losses, _, _) = Run(30);
        Assert.True(losses[^5..].Average() < losses[..5].Average() - 1.0, $"loss went {string.Join(", ", losses.Select(l => l.ToString("F3")))}");
    }

    [Fact]
    public void LearningRateAt_WarmupThenCosine_RisesPeaksAndDecaysToMinimum()
    {
        var o = new TrainingOptions { Steps = 100, WarmupSteps = 10, LearningRate = 1f, MinLrFraction = 0.1f };
        Assert.Equal(0.1f, o.LearningRateAt(1), 6);
        Assert.Equal(1f, o.LearningRateAt(10), 6);
        Assert.True(o.LearningRateAt(50) < 1f && o.LearningRateAt(50) > 0.1f);
        Assert.Equal(0.1f, o.LearningRateAt(100), 6);
    }

    [Fact]
    public void LossScaler_OverflowHalvesAndCleanStepsGrow()
    {
        var s = new LossScaler(1024f, 0);
        Assert.Equal(512f, s.After(false, 3).Scale);
        var grown = s.After(true, 3).After(true, 3).After(true, 3);
        Assert.Equal(2048f, grown.Scale);
        Assert.Equal(0, grown.CleanSteps);
    }

    [Fact]
    public void AdamW_OneStep_MatchesHandComputedUpdateWithDecoupledDecayOnMatricesOnly()
    {
        var config = ModelConfig.Preset("gpt2-tiny");
        var p = ModelParameters.Initialize(config, 1);
        var before = p.Clone();
        var g = ModelParameters.Zeros(p.Layout);
        g.Data.AsSpan().Fill(0.5f);
        var o = new TrainingOptions { WeightDecay = 0.1f };
        AdamW.Step(p, g, ModelParameters.Zeros(p.Layout), ModelParameters.Zeros(p.Layout), 1, 0.01f, 2f, o);
        // Step 1: m_hat = g, v_hat = g^2, so the update is lr * (sign(g) + wd * w) for decayed tensors.
        int w = p.OffsetOf("qkvw"), b = p.OffsetOf("qkvb");
        Assert.Equal(before.Data[w] - 0.01f * (1f / (1f + 1e-8f) + 0.1f * before.Data[w]), p.Data[w], 6);
        Assert.Equal(before.Data[b] - 0.01f / (1f + 1e-8f), p.Data[b], 6);
    }
}
