// The emulated ANE runs the IAneDevice contract, plus emulator-only behaviour (trace, OS build override).
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Restrictions;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.Ane;

public sealed class EmulatedAneDeviceTests : AneDeviceContract
{
    protected override IAneDevice CreateDevice(ChipProfile profile, CompileBudget budget) =>
        new EmulatedAneDevice(new EmulatedDeviceOptions { Profile = profile, Budget = budget, OsBuild = "test-1" });

    [Fact]
    public void Trace_On_PrintsEachOpWithShapes()
    {
        var trace = new StringWriter();
        using var d = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(5), Trace = trace });
        var p = CompileAndLoad(d, ConvProgram(Weights(1)).ToSource());
        RunY(d, p, new float[C * S]);
        var text = trace.ToString();
        Assert.Contains("conv", text, StringComparison.Ordinal);
        Assert.Contains("relu", text, StringComparison.Ordinal);
        Assert.Contains("[1, 64, 1, 32]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_OsBuildOption_Used()
    {
        using var d = new EmulatedAneDevice(new EmulatedDeviceOptions { OsBuild = "24A335", Profile = ChipProfile.M1 });
        Assert.Equal("24A335", d.Fingerprint.OsBuild);
        Assert.Equal("m1", d.Fingerprint.Chip);
        Assert.Equal("emulated", d.Fingerprint.DeviceKind);
    }

    [Fact]
    public void Dispose_RemovesWorkFolders()
    {
        var d = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(5) });
        var p = CompileAndLoad(d, ConvProgram(Weights(2)).ToSource());
        var folder = p.Folder;
        d.Dispose();
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Compile_ProgramFromAnotherDevice_Rejected()
    {
        using var a = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(5) });
        using var b = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(5) });
        var p = CompileAndLoad(a, ConvProgram(Weights(3)).ToSource());
        Assert.Throws<ArgumentException>(() => b.Load(p));
    }

    [Fact]
    public void Evaluate_RepeatedRuns_NoCompileAndExactReference()
    {
        using var d = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(5) });
        var w = Weights(4);
        var p = CompileAndLoad(d, ConvProgram(w).ToSource());
        for (int i = 0; i < 3; i++)
        {
            var x = Ref.Random(C * S, (ulong)(100 + i));
            Ref.Close(Ref.Linear(w, Ref.D(x), C, C, S), RunY(d, p, x));
        }
        Assert.Equal(1, d.CompileCount);
    }

    [Fact]
    public void Create_FolderOfDeadProcess_Swept()
    {
        var stale = Path.Combine(Path.GetTempPath(), "orion-ane", $"{int.MaxValue - 7}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(stale, "p"));
        using var d = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(1) });
        Assert.False(Directory.Exists(stale));
    }
}
