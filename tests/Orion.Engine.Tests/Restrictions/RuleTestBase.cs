// Shared helpers for the per-rule tests: compile hand-written MIL on the emulator, run it, expect a rule.
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.IO;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.Restrictions;

public abstract class RuleTestBase : IDisposable
{
    private readonly List<EmulatedAneDevice> _devices = [];

    protected EmulatedAneDevice Device(ChipProfile? profile = null, int budget = 20)
    {
        var d = new EmulatedAneDevice(new EmulatedDeviceOptions { Profile = profile ?? ChipProfile.M4, Budget = new CompileBudget(budget), OsBuild = "rules" });
        _devices.Add(d);
        return d;
    }

    public void Dispose()
    {
        foreach (var d in _devices) d.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static Dictionary<string, byte[]> NoWeights() => new(StringComparer.Ordinal);

    /// <summary>A blob file holding one fp16 tensor.</summary>
    protected static byte[] Blob(float[] values, int alignment = 64) =>
        BlobFile.Write([(DType.Fp16, (ReadOnlyMemory<byte>)TensorCodec.Encode(values, DType.Fp16))], alignment).File;

    /// <summary>Compiles, loads and runs with seeded inputs; returns outputs by name.</summary>
    protected Dictionary<string, float[]> Run(string mil, Dictionary<string, byte[]>? weights = null, ChipProfile? profile = null)
    {
        var d = Device(profile);
        var p = d.Compile(new AneProgramSource(mil, weights ?? NoWeights()));
        d.Load(p);
        using var s = new AneSession(d, p);
        ulong seed = 1;
        var inputs = p.Inputs.ToDictionary(i => i.Name, i => Ref.Random((int)i.Type.EffectiveShape.ElementCount, seed++));
        return s.Run(inputs);
    }

    protected void Rejected(string rule, string mil, Dictionary<string, byte[]>? weights = null, ChipProfile? profile = null)
    {
        var d = Device(profile);
        var e = Assert.Throws<AneRestrictionException>(() => d.Compile(new AneProgramSource(mil, weights ?? NoWeights())));
        Assert.Contains(e.Diagnostics, x => x.RuleId == rule);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }

    protected const int C = 64, S = 32;
    protected static string T(int c = C, int s = S) => MilText.T(c, s);
    protected static string Line(string statement) => "        " + statement + "\n";
    protected static string Const(string type, string name, string val) => Line($"{type} {name} = const()[name = string(\"{name}\"), val = {val}];");
}
