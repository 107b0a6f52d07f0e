// `orion doctor`'s logic, tested on the emulator: off a Mac it checks the emulator and lists what needs a Mac; its
// probes measure whatever profile the emulator enforces, and classify delta patches and cache loads correctly when
// a device misbehaves the ways public reports describe.
using System.Runtime.InteropServices;
using Orion.Engine.Ane;
using Orion.Engine.Ane.Apple;
using Orion.Engine.Ane.Doctor;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Restrictions;
using Xunit;

namespace Orion.Engine.Tests.Ane.Doctor;

public sealed class AneDoctorTests
{
    private static readonly HostFacts Linux = new(false, Architecture.X64, false, "Debian 12 X64");

    private static EmulatedAneDevice Emulator(ChipProfile profile) => new(new EmulatedDeviceOptions { Profile = profile, Budget = new CompileBudget(1000) });

    [Fact]
    public void Run_OffAMac_ChecksTheEmulatorAndListsWhatNeedsAMac()
    {
        var report = AneDoctor.Run(Linux);
        Assert.False(report.Failed, string.Join("\n", report.Checks));
        Assert.Contains(report.Checks, c => c.Section == "emulator" && c.Name == "conv-2 vs float64 reference" && c.Status == CheckStatus.Ok);
        Assert.Contains(report.Checks, c => c.Name == "probe self-test" && c.Status == CheckStatus.Ok);
        var needsMac = report.Checks.Where(c => c.Section == "needs a Mac").ToList();
        Assert.Equal(AneDoctor.MacOnly.Select(m => m.Name), needsMac.Select(c => c.Name));
        Assert.All(needsMac, c => Assert.Equal(CheckStatus.Skipped, c.Status));
        Assert.Contains(report.Checks, c => c.Name == "apple neural engine" && c.Detail.Contains("not a Mac", StringComparison.Ordinal));

        var text = new StringWriter();
        report.WriteTo(text);
        Assert.Contains("## needs a Mac", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("[skip] R18 input sizes: ", text.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("result: ok" + Environment.NewLine, text.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string> Profiles() => ["m1", "m4", "m5", "permissive"];

    private static ChipProfile Named(string name) => name == "permissive"
        ? ChipProfile.M4 with { Name = "permissive", ConcatAllowed = true, InputSizes = InputSizeRule.AscendingInputsDescendingOutputs, MinSurfaceBytes = 16_384 }
        : ChipProfile.Parse(name);

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Measure_OnTheEmulator_FindsTheProfileItEnforces(string name)
    {
        var profile = Named(name);
        var report = new DoctorReport();
        var m = AneDoctor.Measure(_ => Emulator(profile), ChipProfile.M4, report);
        Assert.Equal(profile.ConcatAllowed, m.Profile.ConcatAllowed);
        Assert.Equal(profile.InputSizes, m.Profile.InputSizes);
        Assert.Equal(profile.MinSurfaceBytes, m.Profile.MinSurfaceBytes);
        Assert.All(m.DeltaPatch.Values, v => Assert.StartsWith("works", v, StringComparison.Ordinal));
        Assert.StartsWith("works", m.CachedLoad, StringComparison.Ordinal);
        Assert.False(report.Failed, string.Join("\n", report.Checks));
    }

    [Fact]
    public void Measure_PatchThatDoesNotTakeEffect_ReportedUnchangedAndFailed()
    {
        // The disputed report of section 3: unload -> replace the file -> load, and the old weights still run.
        var report = new DoctorReport();
        var m = AneDoctor.Measure(_ => new StalePatchDevice(Emulator(ChipProfile.M4)), ChipProfile.M4, report);
        Assert.All(m.DeltaPatch.Values, v => Assert.StartsWith("unchanged", v, StringComparison.Ordinal));
        Assert.Contains(report.Checks, c => c.Name == "delta patch" && c.Status == CheckStatus.Failed);
    }

    [Fact]
    public void Measure_PatchThatThrows_ReportedAsError()
    {
        var m = AneDoctor.Measure(_ => new StalePatchDevice(Emulator(ChipProfile.M4)) { Throw = true }, ChipProfile.M4);
        Assert.All(m.DeltaPatch.Values, v => Assert.StartsWith("error: ANE delta patch: load: ", v, StringComparison.Ordinal));
    }

    [Fact]
    public void Measure_CacheEntryTheServiceForgot_ReportedAsMiss()
    {
        var m = AneDoctor.Measure(_ => new StalePatchDevice(Emulator(ChipProfile.M4)) { ForgetCompiled = true }, ChipProfile.M4);
        Assert.StartsWith("miss: the service forgot", m.CachedLoad, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_MeasuredProfile_PrintedAsOneLine()
    {
        var m = AneDoctor.Measure(_ => Emulator(ChipProfile.M4), ChipProfile.M4);
        var report = new DoctorReport { Measured = m };
        var text = new StringWriter();
        report.WriteTo(text);
        Assert.Contains("base m4: concat=fails min-surface=49152 input-sizes=equal delta-in-place=works delta-atomic-replace=works delta-new-descriptor=works cached-load=works",
            text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ProbePrograms_ConcatKeepsItsConcatOp()
    {
        Assert.Contains("concat(", ProbePrograms.ConcatCase(1).Source.MilText, StringComparison.Ordinal);
    }

    /// <summary>An emulator whose patches do not take effect (or fail), and whose cache can forget compiled programs.</summary>
    private sealed class StalePatchDevice(EmulatedAneDevice inner) : IAneDevice
    {
        public bool Throw { get; init; }
        public bool ForgetCompiled { get; init; }

        public DeviceFingerprint Fingerprint => inner.Fingerprint;
        public ChipProfile Profile => inner.Profile;
        public IReadOnlyList<AneDiagnostic> LastWarnings => inner.LastWarnings;
        public int CompileCount => inner.CompileCount;
        public AneProgram Compile(AneProgramSource source) => inner.Compile(source);
        public AneProgram LoadCompiled(AneProgramSource source, string artifactDirectory) =>
            ForgetCompiled ? throw new IOException("the service forgot the compiled program") : inner.LoadCompiled(source, artifactDirectory);
        public void SaveCompiled(AneProgram program, string artifactDirectory) => inner.SaveCompiled(program, artifactDirectory);
        public void Load(AneProgram program) => inner.Load(program);
        public void Unload(AneProgram program) => inner.Unload(program);
        public void Evaluate(AneProgram program, IReadOnlyList<AneSurface> inputs, IReadOnlyList<AneSurface> outputs) => inner.Evaluate(program, inputs, outputs);

        public void PatchWeights(AneProgram program, IReadOnlyDictionary<string, byte[]> weightFiles)
        {
            if (Throw) throw new Orion.Engine.Ane.Apple.Native.AneNativeException("delta patch: load", "-[_ANEInMemoryModel loadWithQoS:options:error:]", "load failed");
            // Files replaced, program reloaded from its baked state: the old weights keep running.
            inner.Unload(program);
            inner.Load(program);
        }

        public AneSurface CreateSurface(int byteCount) => inner.CreateSurface(byteCount);
        public void Release(AneProgram program) => inner.Release(program);
        public void Dispose() => inner.Dispose();
    }
}
