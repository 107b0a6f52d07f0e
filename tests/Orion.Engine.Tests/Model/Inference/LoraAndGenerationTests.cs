// LoRA adapters as inputs (swapping them changes outputs with no compile, and matches merged weights) and generation
// with fixed-window programs (seeded, greedy = argmax, window slides past the context).
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Model;
using Orion.Engine.Model.Device;
using Orion.Engine.Model.Inference;
using Orion.Engine.Programs;
using Xunit;

namespace Orion.Engine.Tests.Model.Inference;

public sealed class LoraAndGenerationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orion-lora-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("gpt2-tiny")]
    [InlineData("stories-tiny")]
    public void SetAdapter_Swapped_ChangesOutputsWithoutCompilingAndMatchesMergedWeights(string name)
    {
        var config = ModelConfig.Preset(name);
        var p = ModelParameters.Initialize(config, 21);
        var tokens = DeviceModelTests.RandomBatch(config, 1, 64, 5).Inputs;
        var first = LoraAdapter.Random(config, 8, 16f, 1);
        var second = LoraAdapter.Random(config, 8, 16f, 2);
        using var device = new EmulatedAneDevice();
        using var model = new DeviceModel(device, p, 1, 64, training: false, lora: first.Shape);
        int compiles = device.CompileCount;
        var baseLogits = model.Logits(tokens);
        model.SetAdapter(first);
        var withFirst = model.Logits(tokens);
        model.SetAdapter(second);
        var withSecond = model.Logits(tokens);
        Assert.Equal(compiles, device.CompileCount);
        Assert.False(withFirst.AsSpan().SequenceEqual(withSecond), "swapping adapters did not change the outputs");
        Assert.False(baseLogits.AsSpan().SequenceEqual(withFirst), "the adapter did not change the outputs");
        foreach (var (adapter, got) in new[] { (first, withFirst), (second, withSecond) })
        {
            DeviceModelTests.AssertLogitsClose(ReferenceModel.Logits(adapter.Merge(p), tokens, 1, 64), got, "adapter as inputs vs merged weights");
        }
        model.SetAdapter(null);
        Assert.True(model.Logits(tokens).AsSpan().SequenceEqual(baseLogits), "removing the adapter did not restore the base model");
    }

    [Fact]
    public void SaveLoad_Adapter_RoundTripsAndRejectsAnotherModel()
    {
        var config = ModelConfig.Preset("gpt2-tiny");
        var a = LoraAdapter.Random(config, 4, 8f, 3);
        a.Save(_dir);
        var b = LoraAdapter.Load(_dir, config);
        Assert.Equal(a.Rank, b.Rank);
        Assert.Equal(a.Alpha, b.Alpha);
        Assert.Equal(a.Weights(1, "v").B, b.Weights(1, "v").B);
        var e = Assert.Throws<InvalidDataException>(() => LoraAdapter.Load(_dir, ModelConfig.Preset("gpt2-small")));
        Assert.Contains(LoraAdapter.FileName, e.Message);
    }

    [Fact]
    public void Generate_SameSeed_SameTokensAndSlidesPastTheWindow()
    {
        var config = ModelConfig.Preset("stories-tiny");
        var p = ModelParameters.Initialize(config, 4);
        using var device = new EmulatedAneDevice();
        using var model = new DeviceModel(device, p, 1, 32, training: false);
        var g = new Generator(model);
        int[] prompt = [72, 101, 108, 108, 111];
        var a = g.Generate(prompt, 40, 0.8f, 20, 9).ToArray();
        var b = g.Generate(prompt, 40, 0.8f, 20, 9).ToArray();
        Assert.Equal(a, b);
        Assert.Equal(40, a.Length);
        Assert.All(a, t => Assert.InRange(t, 0, config.VocabSize - 1));
    }

    [Fact]
    public void Generate_Greedy_EachTokenIsTheArgmaxOfTheReferenceLogits()
    {
        var config = ModelConfig.Preset("gpt2-tiny");
        var p = ModelParameters.Initialize(config, 6);
        using var device = new EmulatedAneDevice();
        using var model = new DeviceModel(device, p, 1, 64, training: false);
        var context = new List<int> { 10, 20, 30 };
        foreach (var next in new Generator(model).Generate(context.ToArray(), 3, 0f, 0, 1))
        {
            var window = new int[64];
            context.CopyTo(window);
            var logits = ReferenceModel.Logits(p, window, 1, 64).AsSpan((context.Count - 1) * config.VocabSize, config.VocabSize);
            // fp16 may swap near-ties: the device's pick must be within fp16 tolerance of the reference's best logit.
            double best = double.MinValue;
            foreach (var v in logits) best = Math.Max(best, v);
            Assert.True(logits[next] >= best - 0.02, $"picked token {next} (logit {logits[next]:G4}), best is {best:G4}");
            context.Add(next);
        }
    }

    [Fact]
    public void Pick_TemperatureZeroOrTopOne_IsArgmaxAndSamplingFollowsTheDistribution()
    {
        float[] logits = [0f, 2f, 1f, 2f];
        var rng = new SeededRandom(1);
        Assert.Equal(1, Sampling.Pick(logits, 0f, 0, rng));
        Assert.Equal(1, Sampling.Pick(logits, 1f, 1, rng));
        var counts = new int[4];
        for (int i = 0; i < 20000; i++) counts[Sampling.Pick(logits, 1f, 0, rng)]++;
        double z = 1 + 2 * Math.E * Math.E + Math.E;
        Assert.InRange(counts[0] / 20000.0, 1 / z - 0.01, 1 / z + 0.01);
        Assert.InRange(counts[2] / 20000.0, Math.E / z - 0.015, Math.E / z + 0.015);
    }
}
