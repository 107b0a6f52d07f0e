// The IAneDevice contract: one abstract test class every device runs (the emulator here, the macOS device on a Mac).
using Orion.Engine.Ane;
using Orion.Engine.Compiler;
using Orion.Engine.Graph;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.Ane;

public abstract partial class AneDeviceContract : IDisposable
{
    private readonly List<IAneDevice> _devices = [];

    /// <summary>A fresh device with its own compile budget.</summary>
    protected abstract IAneDevice CreateDevice(ChipProfile profile, CompileBudget budget);

    protected IAneDevice NewDevice(int budget = 50, ChipProfile? profile = null)
    {
        var d = CreateDevice(profile ?? ChipProfile.M4, new CompileBudget(budget));
        _devices.Add(d);
        return d;
    }

    public void Dispose()
    {
        foreach (var d in _devices) d.Dispose();
        GC.SuppressFinalize(this);
    }

    internal const int C = Orion.Engine.Ane.Doctor.ProbePrograms.C, S = Orion.Engine.Ane.Doctor.ProbePrograms.S;

    /// <summary>y = W·x (a 1x1 conv with weights), z = relu(x): two outputs, one weight file (the doctor's program too).</summary>
    internal static CompiledProgram ConvProgram(float[] w) => Orion.Engine.Ane.Doctor.ProbePrograms.Conv(w);

    internal static float[] Weights(ulong seed) => Ref.Random(C * C, seed, 0.125f);

    internal static AneProgram CompileAndLoad(IAneDevice d, AneProgramSource src)
    {
        var p = d.Compile(src);
        d.Load(p);
        return p;
    }

    internal static float[] RunY(IAneDevice d, AneProgram p, float[] x)
    {
        using var s = new AneSession(d, p);
        return s.Run(new Dictionary<string, float[]> { ["x"] = x })["y"];
    }

    [ContractFact]
    public void Evaluate_WeightFreeProgram_MatchesReference()
    {
        var d = NewDevice();
        var mil = MilText.Program($"{MilText.T(C, S)} a, {MilText.T(C, S)} b",
            $"        {MilText.T(C, S)} y = add(x = a, y = b)[name = string(\"y\")];\n", "y");
        var p = CompileAndLoad(d, new AneProgramSource(mil, new Dictionary<string, byte[]>()));
        var a = Ref.Random(C * S, 1);
        var bb = Ref.Random(C * S, 2);
        using var s = new AneSession(d, p);
        var y = s.Run(new Dictionary<string, float[]> { ["a"] = a, ["b"] = bb })["y"];
        Ref.Close(a.Zip(bb, (u, v) => (double)u + v).ToList(), y);
    }

    [ContractFact]
    public void Evaluate_ConvWithBlobWeights_MatchesReference()
    {
        var d = NewDevice();
        var w = Weights(3);
        var p = CompileAndLoad(d, ConvProgram(w).ToSource());
        var x = Ref.Random(C * S, 4);
        Ref.Close(Ref.Linear(w, Ref.D(x), C, C, S), RunY(d, p, x));
    }

    [ContractFact]
    public void Evaluate_BeforeLoad_Throws()
    {
        var d = NewDevice();
        var p = d.Compile(ConvProgram(Weights(1)).ToSource());
        Assert.Throws<InvalidOperationException>(() => RunY(d, p, new float[C * S]));
    }

    [ContractFact]
    public void Evaluate_WrongSurfaceCount_Throws()
    {
        var d = NewDevice();
        var p = CompileAndLoad(d, ConvProgram(Weights(1)).ToSource());
        using var one = d.CreateSurface(p.Surfaces.InputBytes[0]);
        Assert.Throws<ArgumentException>(() => d.Evaluate(p, [one], [one]));
    }

    [ContractFact]
    public void Evaluate_OutputsBindAlphabetically_ReturnOrderIrrelevant()
    {
        var d = NewDevice();
        var p = CompileAndLoad(d, ConvProgram(Weights(5)).ToSource());
        Assert.Equal(["y", "z"], p.Outputs.Select(o => o.Name));
        var x = Ref.Random(C * S, 6);
        using var s = new AneSession(d, p);
        var r = s.Run(new Dictionary<string, float[]> { ["x"] = x });
        Ref.Close(x.Select(v => (double)Math.Max(v, 0)).ToList(), r["z"], 0, 0);
    }

    [ContractFact]
    public void Fingerprint_NamesChipOsAndCompiler()
    {
        var d = NewDevice();
        Assert.False(string.IsNullOrWhiteSpace(d.Fingerprint.Chip));
        Assert.False(string.IsNullOrWhiteSpace(d.Fingerprint.OsBuild));
        Assert.Equal(DeviceFingerprint.OrionCompilerVersion, d.Fingerprint.CompilerVersion);
    }
}
