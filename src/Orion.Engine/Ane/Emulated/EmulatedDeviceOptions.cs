// Settings of the emulated ANE: chip profile, OS build for the fingerprint, compile budget, work folder, trace.
using Orion.Engine.Restrictions;

namespace Orion.Engine.Ane.Emulated;

public sealed record EmulatedDeviceOptions
{
    public ChipProfile Profile { get; init; } = ChipProfile.Default;

    /// <summary>OS build for the fingerprint: this value, else ORION_OS_BUILD, else the host's kernel version.</summary>
    public string? OsBuild { get; init; }

    /// <summary>Compile budget; the process-wide one unless a caller (a test, a recycled worker) brings its own.</summary>
    public CompileBudget? Budget { get; init; }

    /// <summary>Where program folders live (the emulator's NSTemporaryDirectory). Default: a per-device folder under the temp dir.</summary>
    public string? WorkRoot { get; init; }

    /// <summary>When set, every executed op is written here with its shapes and time.</summary>
    public TextWriter? Trace { get; init; }

    public static string HostOsBuild()
    {
        var env = Environment.GetEnvironmentVariable("ORION_OS_BUILD");
        if (!string.IsNullOrWhiteSpace(env)) return CheckOsBuild(env, "ORION_OS_BUILD")!;
        return $"{Environment.OSVersion.Platform}-{Environment.OSVersion.Version}";
    }

    /// <summary>
    /// An OS build names program cache folders, so it must be a plain name: letters, digits, '.', '-', '_' and '+',
    /// 1 to 64 of them (macOS builds look like 24A335). Null or blank means "not set".
    /// </summary>
    public static string? CheckOsBuild(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var build = value.Trim();
        if (build.Length > 64 || !build.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '+'))
            throw new ArgumentException($"{what} is '{(build.Length > 64 ? build[..64] + "..." : build)}'; expected an OS build name of 1 to 64 letters, digits, '.', '-', '_' or '+' (e.g. 24A335): it names program cache folders");
        return build;
    }
}
