// The report `orion doctor` prints: one line per check, grouped, written so a user can paste it into an issue.
using Orion.Engine.Ane.Apple;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Ane.Doctor;

public enum CheckStatus
{
    Ok,
    Failed,
    Skipped,
    Info,
}

public sealed record DoctorCheck(string Section, string Name, CheckStatus Status, string Detail);

/// <summary>What the probes found about the disputed rules on one device.</summary>
public sealed record MeasuredProfile(
    ChipProfile Profile,
    string InputSizesNote,
    IReadOnlyDictionary<DeltaPatchMode, string> DeltaPatch,
    string CachedLoad)
{
    public string Describe() =>
        $"concat={(Profile.ConcatAllowed ? "allowed" : "fails")} min-surface={Profile.MinSurfaceBytes} input-sizes={InputSizesNote} " +
        string.Join(' ', DeltaPatch.Select(kv => $"delta-{Mode(kv.Key)}={kv.Value.Split(':')[0]}")) + $" cached-load={CachedLoad.Split(':')[0]}";

    public static string Mode(DeltaPatchMode m) => m switch
    {
        DeltaPatchMode.InPlace => "in-place",
        DeltaPatchMode.AtomicReplace => "atomic-replace",
        _ => "new-descriptor",
    };
}

public sealed class DoctorReport
{
    private readonly List<DoctorCheck> _checks = [];

    public IReadOnlyList<DoctorCheck> Checks => _checks;
    public MeasuredProfile? Measured { get; set; }
    public bool Failed => _checks.Any(c => c.Status == CheckStatus.Failed);

    public void Add(string section, string name, CheckStatus status, string detail) => _checks.Add(new(section, name, status, detail));

    public void WriteTo(TextWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteLine("orion doctor report");
        foreach (var section in _checks.Select(c => c.Section).Distinct())
        {
            w.WriteLine();
            w.WriteLine($"## {section}");
            foreach (var c in _checks.Where(c => c.Section == section))
                w.WriteLine($"[{Tag(c.Status)}] {c.Name}: {c.Detail}");
        }
        if (Measured is not null)
        {
            w.WriteLine();
            w.WriteLine("## measured profile");
            w.WriteLine($"base {Measured.Profile.Name}: {Measured.Describe()}");
        }
        w.WriteLine();
        w.WriteLine(Failed ? "result: FAILED (see the [fail] lines above)" : "result: ok");
    }

    private static string Tag(CheckStatus s) => s switch
    {
        CheckStatus.Ok => "ok",
        CheckStatus.Failed => "fail",
        CheckStatus.Skipped => "skip",
        _ => "info",
    };
}
