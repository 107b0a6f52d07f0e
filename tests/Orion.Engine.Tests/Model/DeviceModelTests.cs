// The device path of both families on the emulator: programs compile under the restriction catalog, gradients match the
// CPU reference within fp16 tolerance, and after the first step weights move by delta patch with no further compile.
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Data;
using Orion.Engine.Model;
using Orion.Engine.Model.Device;
using Orion.Engine.Programs;
using Xunit;

namespace Orion.Engine.Tests.Model;

public sealed class DeviceModelTests
{
    internal static Batch RandomBatch(ModelConfig c, int batch, int seq, ulong seed)
    {
        var r = new SeededRandom(seed);
        var tokens = Enumerable.Range(0, batch * seq + 1).Select(_ => r.NextInt(c.VocabSize)).ToArray();
        return new Batch(tokens[..^1], tokens[1..], batch, seq);
    }

    /// <summary>fp16 tolerance for logits: within 2% of the largest reference logit (plus 1e-3).</summary>
    internal static void AssertLogitsClose(double[] want, float[] got, string what)
    {
        Assert.Equal(want.Length, got.Length);
        double maxErr = 0, maxRef = 0;
        for (int i = 0; i < want.Length; i++) { maxErr = Math.Max(maxErr, Math.Abs(got[i] - want[i])); maxRef = Math.Max(maxRef, Math.Abs(want[i])); }
        Assert.True(maxErr <= 0.02 * maxRef + 1e-3, $"max |{what} - float64 reference| = {maxErr:G4}, max |reference| = {maxRef:G4}");
    }

    [Theory]
    [InlineData("gpt2-tiny")]
    [InlineData("stories-tiny")]
    public void ForwardBackward_TinyModels_CompilesFourProgramsPerLayerAndGivesFiniteLoss(string name)
    {
        var config = ModelConfig.Preset(name);
        var p = ModelParameters.Initialize(config, 1);
        using var device = new EmulatedAneDevice();
        using var model = new DeviceModel(device, p, 2, 64);
        Assert.Equal(4 * config.Layers, device.CompileCount);
        var g = ModelParameters.Zeros(p.Layout);
        double loss = model.ForwardBackward(RandomBatch(config, 2, 64, 7), g, 1024f);
        Assert.InRange(loss, Math.Log(config.VocabSize) - 0.5, Math.Log(config.VocabSize) + 0.5);
        Assert.All(g.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData("gpt2-tiny")]
    [InlineData("stories-tiny")]
    public void Logits_TinyModels_MatchFloat64ReferenceWithinFp16Tolerance(string name)
    {
        var config = ModelConfig.Preset(name);
        var p = ModelParameters.Initialize(config, 3);
        var batch = RandomBatch(config, 2, 64, 11);
        using var device = new EmulatedAneDevice();
        using var model = new DeviceModel(device, p, 2, 64, training: false);
        var got = model.Logits(batch.Inputs);
        var want = ReferenceModel.Logits(p, batch.Inputs, 2, 64);
        AssertLogitsClose(want, got, "device");
    }

    [Theory]
    [InlineData("gpt2-tiny")]
    [InlineData("stories-tiny")]
    public void ForwardBackward_TinyModels_GradientMatchesFloat64Reference(string name)
    {
        var config = ModelConfig.Preset(name);
        var p = ModelParameters.Initialize(config, 5);
        var batch = RandomBatch(config, 2, 64, 13);
        const float scale = 1024f;
        using var device = new EmulatedAneDevice();
        using var model = new DeviceModel(device, p, 2, 64);
        var g = ModelParameters.Zeros(p.Layout);
        double loss = model.ForwardBackward(batch, g, scale);
        var want = new double[p.Layout.Count];
        double refLoss = ReferenceModel.LossAndGradient(p, batch.Inputs, batch.Targets, 2, 64, want);
        Assert.InRange(loss, refLoss - 0.01, refLoss + 0.01);
        var errors = new List<string>();
        foreach (var t in p.Layout.Tensors)
        {
            // Per tensor: relative error of the whole gradient (fp16 activations on the device bound how close it gets).
            double num = 0, den = 0;
            for (long i = t.Offset; i < t.Offset + t.Size; i++)
            {
                double d = g.Data[i] / scale - want[i];
                num += d * d;
                den += want[i] * want[i];
            }
            double rel = Math.Sqrt(num / Math.Max(den, 1e-30));
            if (!(rel < 0.01)) errors.Add($"{t.Name}: relative gradient error {rel:G3} (|reference| = {Math.Sqrt(den):G3})");
        }
        Assert.True(errors.Count == 0, string.Join("; ", errors));
    }
}
