// `orion doctor`: on a Mac, runs the contract programs on the real ANE and on the emulator and compares them, then
// probes each disputed rule (R01 concat, R18 input sizes, the R04 minimum surface, which delta-patch variant works,
// whether a cached program loads without compiling) and prints the profile it measured. Off a Mac it checks the
// emulator against float64 references, runs the same probes on the emulator as a self-test of the probe logic,
// and lists what needs a Mac and why. The probes take any IAneDevice, so they are tested here on the emulator.
using Orion.Engine.Ane.Apple;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Ane.Doctor;

public static class AneDoctor
{
    private const string Host = "host";
    private const string Emulator = "emulator";
    private const string Device = "ane device";
    private const string Compare = "ane vs emulator";
    private const string Probes = "probes (disputed rules)";
    private const string NeedsMac = "needs a Mac";

    public static DoctorReport Run(HostFacts host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var report = new DoctorReport();
        report.Add(Host, "machine", CheckStatus.Info, $"{host.Description}; .NET {Environment.Version}");
        report.Add(Host, "compile budget", CheckStatus.Info,
            $"ane device {CompileBudget.AneProcess.Limit}, emulator {CompileBudget.Process.Limit} compiles per process (ORION_COMPILE_BUDGET={Environment.GetEnvironmentVariable("ORION_COMPILE_BUDGET") ?? "unset"})");

        using var emulator = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(1000) });
        foreach (var c in ContractCases())
        {
            var (ok, detail, _) = Run(emulator, c);
            report.Add(Emulator, $"{c.Name} vs float64 reference", ok ? CheckStatus.Ok : CheckStatus.Failed, detail);
        }
        var selfTest = Measure(_ => new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(1000) }), ChipProfile.Default);
        bool agrees = selfTest.Profile == ChipProfile.Default && selfTest.InputSizesNote == "equal";
        report.Add(Emulator, "probe self-test", agrees ? CheckStatus.Ok : CheckStatus.Failed,
            agrees ? $"the probes measure the emulator's own m4 profile ({selfTest.Describe()})"
                   : $"the probes measured {selfTest.Describe()} on the emulator, which enforces m4; the probe logic is wrong");

        var why = DeviceSelection.WhyNoAne(host);
        if (why is not null)
        {
            report.Add(Host, "apple neural engine", CheckStatus.Skipped, why);
            foreach (var (name, reason) in MacOnly)
                report.Add(NeedsMac, name, CheckStatus.Skipped, reason);
            return report;
        }
        if (OperatingSystem.IsMacOS()) RunOnMac(report);
        return report;
    }

    /// <summary>What only real hardware can answer, and why.</summary>
    public static IReadOnlyList<(string Name, string Reason)> MacOnly { get; } =
    [
        ("private framework", "dlopen of AppleNeuralEngine.framework and objc_getClass of its classes exist only on macOS"),
        ("chip and OS build", "_ANEDeviceInfo aneSubType, sysctl machdep.cpu.brand_string and kern.osversion are macOS facts"),
        ("ane vs emulator", "comparing outputs needs the real ANE to run the same MIL"),
        ("R01 concat", "public reports disagree on whether concat compiles; only the ANE compiler can say"),
        ("R18 input sizes", "equal vs ascending input surfaces is disputed; only evaluation on the ANE can say"),
        ("R04 minimum surface", "the ~49,152-byte floor is an observation of the hardware"),
        ("delta patch variant", "whether in-place, atomic-replace or new-descriptor patches take effect depends on how the ANE service reads files"),
        ("cached load", "whether a program loads without compiling depends on the ANE service's compiled-model cache"),
    ];

    private static IEnumerable<ProbeCase> ContractCases() => [ProbePrograms.AddCase(1), ProbePrograms.ConvCase(2)];

    [System.Runtime.Versioning.SupportedOSPlatform("macos")]
    private static void RunOnMac(DoctorReport report)
    {
        AppleNeuralEngineDevice ane;
        try
        {
            ane = AppleNeuralEngineDevice.Open();
        }
        catch (Exception e) when (e is DeviceUnavailableException or Apple.Native.AneNativeException or DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            report.Add(Device, "open", CheckStatus.Failed, e.Message);
            return;
        }
        using (ane)
        {
            var (hasAne, cores) = ane.DeviceInfo();
            report.Add(Device, "chip", CheckStatus.Info, $"{ane.Chip.Id} (brand \"{ane.Chip.BrandString}\", aneSubType \"{ane.Chip.AneSubType}\"{(ane.Chip.IsVirtualMachine ? ", virtual machine" : "")}); built-in profile {ane.Profile.Name}");
            report.Add(Device, "ANE", hasAne ? CheckStatus.Ok : CheckStatus.Failed, hasAne ? $"_ANEDeviceInfo hasANE = YES, {cores} cores" : "_ANEDeviceInfo hasANE = NO: this Mac exposes no Neural Engine");
            report.Add(Device, "fingerprint", CheckStatus.Info, ane.Fingerprint.ToString());
            using var emulator = new EmulatedAneDevice(new EmulatedDeviceOptions { Profile = ane.Profile, Budget = new CompileBudget(1000) });
            foreach (var c in ContractCases())
            {
                var (ok, detail, got) = Run(ane, c);
                var (_, _, want) = Run(emulator, c);
                if (ok && got is not null && want is not null)
                {
                    var diff = got.Max(kv => kv.Value.Zip(want[kv.Key], (a, b) => Math.Abs((double)a - b)).DefaultIfEmpty(0).Max());
                    report.Add(Compare, c.Name, diff <= ProbePrograms.Tolerance ? CheckStatus.Ok : CheckStatus.Failed, $"{detail}; max |ane - emulator| = {diff:G3}");
                }
                else report.Add(Compare, c.Name, CheckStatus.Failed, detail);
            }
            var measured = Measure(mode => AppleNeuralEngineDevice.Open(new AppleDeviceOptions { Profile = ane.Profile, DeltaPatch = mode, ProbeWithoutChecks = true }), ane.Profile, report);
            report.Measured = measured;
            var differs = Differences(ane.Profile, measured.Profile);
            report.Add(Probes, "built-in profile", differs.Count == 0 ? CheckStatus.Ok : CheckStatus.Info,
                differs.Count == 0 ? $"the measurements agree with the built-in {ane.Profile.Name} profile"
                    : $"the hardware differs from the built-in {ane.Profile.Name} profile in {string.Join(", ", differs)}: please paste this report into an issue");
        }
    }

    private static List<string> Differences(ChipProfile a, ChipProfile b)
    {
        var d = new List<string>();
        if (a.ConcatAllowed != b.ConcatAllowed) d.Add("R01 concat");
        if (a.InputSizes != b.InputSizes) d.Add("R18 input sizes");
        if (a.MinSurfaceBytes != b.MinSurfaceBytes) d.Add("R04 minimum surface");
        return d;
    }

    /// <summary>
    /// Probes every disputed rule on devices from <paramref name="open"/> (one per delta-patch mode; the others use
    /// the in-place one) and returns <paramref name="baseProfile"/> with the measured values.
    /// </summary>
    public static MeasuredProfile Measure(Func<DeltaPatchMode, IAneDevice> open, ChipProfile baseProfile, DoctorReport? report = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(baseProfile);
        using var device = open(DeltaPatchMode.InPlace);

        var (concatOk, concatDetail, _) = Run(device, ProbePrograms.ConcatCase(3));
        report?.Add(Probes, "R01 concat", CheckStatus.Info, concatOk ? $"concat compiles and is exact ({concatDetail})" : $"concat fails ({concatDetail})");

        var (rule, note, sizesDetail) = ProbeInputSizes(device);
        report?.Add(Probes, "R18 input sizes", rule is null ? CheckStatus.Failed : CheckStatus.Info, $"{note}: {sizesDetail}");

        var (minSurface, minDetail) = ProbeMinimumSurface(device);
        report?.Add(Probes, "R04 minimum surface", minSurface is null ? CheckStatus.Failed : CheckStatus.Info, minDetail);

        var delta = new Dictionary<DeltaPatchMode, string>();
        foreach (var mode in Enum.GetValues<DeltaPatchMode>())
        {
            using var d = mode == DeltaPatchMode.InPlace ? null : open(mode);
            delta[mode] = ProbeDelta(d ?? device);
            report?.Add(Probes, $"delta patch {MeasuredProfile.Mode(mode)}", CheckStatus.Info, delta[mode]);
        }
        if (report is not null && !delta.Values.Any(v => v.StartsWith("works", StringComparison.Ordinal)))
            report.Add(Probes, "delta patch", CheckStatus.Failed, "no variant took effect: training must recompile after every step (slow) until this is solved");

        var cached = ProbeCachedLoad(device);
        report?.Add(Probes, "cached load", CheckStatus.Info, cached);

        var profile = baseProfile with
        {
            ConcatAllowed = concatOk,
            InputSizes = rule ?? baseProfile.InputSizes,
            MinSurfaceBytes = minSurface ?? baseProfile.MinSurfaceBytes,
        };
        return new MeasuredProfile(profile, note, delta, cached);
    }

    private static (InputSizeRule? Rule, string Note, string Detail) ProbeInputSizes(IAneDevice device)
    {
        var c = ProbePrograms.TwoSizesCase(4);
        const int a = 64 * 384 * 2, b = 64 * 512 * 2, outputs = b;
        var variants = new (string Label, SurfacePlan Sizes)[]
        {
            ("equal", new([b, b], [outputs, outputs])),
            ("ascending", new([a, b], [outputs, outputs])),
            ("descending", new([b + 16384, b], [outputs, outputs])),
        };
        var results = RunVariants(device, c, variants);
        bool eq = results["equal"].Ok, asc = results["ascending"].Ok, desc = results["descending"].Ok;
        var detail = string.Join("; ", variants.Select(v => $"{v.Label} {(results[v.Label].Ok ? "works" : "fails (" + results[v.Label].Detail + ")")}"));
        if (!eq) return (null, "even equal input sizes fail", detail);
        if (asc && desc) return (InputSizeRule.AscendingInputsDescendingOutputs, "any order works", detail);
        if (asc) return (InputSizeRule.AscendingInputsDescendingOutputs, "ascending", detail);
        return (InputSizeRule.Equal, "equal", detail);
    }

    private static (int? Bytes, string Detail) ProbeMinimumSurface(IAneDevice device)
    {
        int[] sizes = [1024, 4096, 16384, 32768, 49152];
        var results = RunVariants(device, ProbePrograms.TinyCase(5), sizes.Select(n => (n.ToString(System.Globalization.CultureInfo.InvariantCulture), new SurfacePlan([n], [n]))).ToArray());
        var first = sizes.Cast<int?>().FirstOrDefault(n => results[n!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)].Ok);
        var tried = string.Join(", ", sizes.Select(n => $"{n}: {(results[n.ToString(System.Globalization.CultureInfo.InvariantCulture)].Ok ? "works" : "fails")}"));
        return first is null ? (null, $"no surface size up to 49,152 bytes worked ({tried})") : (first, $"smallest working surface {first:N0} bytes ({tried})");
    }

    /// <summary>Compile w1, patch to w2, evaluate: "works" when the output follows w2, "unchanged" when it still follows w1.</summary>
    private static string ProbeDelta(IAneDevice device)
    {
        var w1 = ProbePrograms.ConvWeights(6);
        var w2 = ProbePrograms.ConvWeights(7);
        var x = ProbePrograms.Random(ProbePrograms.C * ProbePrograms.S, 8);
        AneProgram? p = null;
        try
        {
            p = device.Compile(ProbePrograms.Conv(w1).ToSource());
            device.Load(p);
            int compiles = device.CompileCount;
            device.PatchWeights(p, ProbePrograms.Conv(w2).Weights.ToDictionary());
            using var s = new AneSession(device, p);
            var y = s.Run(new Dictionary<string, float[]> { ["x"] = x })["y"];
            var err2 = ProbePrograms.MaxError(new Dictionary<string, double[]> { ["y"] = ProbePrograms.ConvReference(w2, x) }, new Dictionary<string, float[]> { ["y"] = y });
            var err1 = ProbePrograms.MaxError(new Dictionary<string, double[]> { ["y"] = ProbePrograms.ConvReference(w1, x) }, new Dictionary<string, float[]> { ["y"] = y });
            var recompiled = device.CompileCount != compiles ? " (but it compiled)" : "";
            if (err2 <= ProbePrograms.Tolerance) return $"works: outputs follow the new weights{recompiled}";
            if (err1 <= ProbePrograms.Tolerance) return "unchanged: outputs still follow the old weights";
            return $"wrong: outputs match neither weight set (max rel error {err2:G3})";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"error: {FirstLine(e)}";
        }
        finally
        {
            if (p is not null) TryRelease(device, p);
        }
    }

    /// <summary>Compile, save the artifacts, release, then load from them: a cache hit must not compile.</summary>
    private static string ProbeCachedLoad(IAneDevice device)
    {
        var c = ProbePrograms.ConvCase(9);
        var dir = Path.Combine(Path.GetTempPath(), $"orion-doctor-{Environment.ProcessId}-{Guid.NewGuid():N}");
        AneProgram? p = null;
        try
        {
            p = device.Compile(c.Source);
            device.SaveCompiled(p, dir);
            device.Release(p);
            int compiles = device.CompileCount;
            p = device.LoadCompiled(c.Source, dir);
            device.Load(p);
            using var s = new AneSession(device, p);
            var err = ProbePrograms.MaxError(c.Expected, s.Run(c.Inputs));
            if (device.CompileCount != compiles) return "compiled again: a cache hit did not avoid the compile";
            return err <= ProbePrograms.Tolerance ? "works: loaded without compiling, outputs exact" : $"wrong: loaded without compiling but max rel error {err:G3}";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"miss: {FirstLine(e)} (the program cache will recompile after a restart)";
        }
        finally
        {
            if (p is not null) TryRelease(device, p);
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Compiles and runs one case with the program's own surface plan.</summary>
    private static (bool Ok, string Detail, Dictionary<string, float[]>? Outputs) Run(IAneDevice device, ProbeCase c)
    {
        AneProgram? p = null;
        try
        {
            p = device.Compile(c.Source);
            device.Load(p);
            using var s = new AneSession(device, p);
            var got = s.Run(c.Inputs);
            var err = ProbePrograms.MaxError(c.Expected, got);
            return err <= ProbePrograms.Tolerance ? (true, $"max rel error {err:G3}", got) : (false, $"wrong output: max rel error {err:G3}", got);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (false, FirstLine(e), null);
        }
        finally
        {
            if (p is not null) TryRelease(device, p);
        }
    }

    /// <summary>One compile, then one evaluation per surface-size variant.</summary>
    private static Dictionary<string, (bool Ok, string Detail)> RunVariants(IAneDevice device, ProbeCase c, (string Label, SurfacePlan Sizes)[] variants)
    {
        var results = new Dictionary<string, (bool, string)>(StringComparer.Ordinal);
        AneProgram? p = null;
        try
        {
            p = device.Compile(c.Source);
            device.Load(p);
            foreach (var (label, sizes) in variants)
            {
                try
                {
                    using var s = new AneSession(device, p, sizes);
                    var err = ProbePrograms.MaxError(c.Expected, s.Run(c.Inputs));
                    results[label] = err <= ProbePrograms.Tolerance ? (true, "exact") : (false, $"wrong output, max rel error {err:G3}");
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    results[label] = (false, FirstLine(e));
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (var (label, _) in variants) results[label] = (false, "compile failed: " + FirstLine(e));
        }
        finally
        {
            if (p is not null) TryRelease(device, p);
        }
        return results;
    }

    private static void TryRelease(IAneDevice device, AneProgram p)
    {
        try { device.Release(p); } catch (Exception e) when (e is not OutOfMemoryException) { }
    }

    private static string FirstLine(Exception e)
    {
        var m = e.Message;
        int nl = m.IndexOfAny(['\r', '\n']);
        return nl < 0 ? m : m[..nl];
    }
}
