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
        if (!string.IsNullOrWhiteSpace(env)) return env.Trim();
        return $"{Environment.OSVersion.Platform}-{Environment.OSVersion.Version}";
    }
}
