// Which Apple silicon this is, from the CPU brand string ("Apple M4 Max") and _ANEDeviceInfo aneSubType ("h16"),
// and which chip profile it gets. The profile only sets defaults for the disputed and chip-specific rules;
// `orion doctor` measures them on the machine.
using System.Text.RegularExpressions;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Ane.Apple;

/// <summary>A parsed chip: generation (M1 = 1 …), tier (Pro, Max, Ultra or empty), ANE sub type, and the raw strings.</summary>
public sealed partial record AppleChip(int Generation, string Tier, string AneSubType, string BrandString, bool IsVirtualMachine)
{
    /// <summary>Chip id for the device fingerprint: <c>m4-max/h16</c>, <c>m1/h13</c>, <c>unknown/h16</c>.</summary>
    public string Id
    {
        get
        {
            var chip = Generation > 0 ? $"m{Generation}{(Tier.Length > 0 ? "-" + Tier.ToLowerInvariant() : "")}" : "unknown";
            return $"{chip}/{(AneSubType.Length > 0 ? AneSubType : "unknown")}";
        }
    }

    /// <summary>
    /// The restriction profile: m1 for M1 and M2 (M2 unmeasured: the stricter neighbour is the safe guess), m3 for
    /// M3, m4 for M4, m5 for M5 and later. Unknown chips get the default (m4) and a note from `orion doctor`.
    /// </summary>
    public ChipProfile Profile => Generation switch
    {
        1 or 2 => ChipProfile.M1,
        3 => ChipProfile.M3,
        4 => ChipProfile.M4,
        >= 5 => ChipProfile.M5,
        _ => ChipProfile.Default,
    };

    /// <summary>Parses the brand string, falling back to the ANE sub type for the generation when the brand is not an M-series name.</summary>
    public static AppleChip Parse(string? brandString, string? aneSubType)
    {
        var brand = (brandString ?? "").Trim();
        var sub = (aneSubType ?? "").Trim().ToLowerInvariant();
        bool vm = brand.Contains("(Virtual)", StringComparison.OrdinalIgnoreCase);
        var m = BrandPattern().Match(brand);
        if (m.Success)
        {
            var tier = m.Groups["tier"].Success ? m.Groups["tier"].Value : "";
            return new AppleChip(int.Parse(m.Groups["gen"].Value, System.Globalization.CultureInfo.InvariantCulture), tier, sub, brand, vm);
        }
        return new AppleChip(GenerationFromSubType(sub), "", sub, brand, vm);
    }

    /// <summary>h13 = M1, h14 = M2, h15 = M3, h16 = M4 (section 2 names h16 on M4 and M5: M4 is the safe reading), else unknown (0).</summary>
    public static int GenerationFromSubType(string subType)
    {
        var m = SubTypePattern().Match(subType ?? "");
        if (!m.Success) return 0;
        return int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture) switch
        {
            13 => 1,
            14 => 2,
            15 => 3,
            16 => 4,
            _ => 0,
        };
    }

    [GeneratedRegex(@"^Apple M(?<gen>[1-9][0-9]?)(?:\s+(?<tier>Pro|Max|Ultra))?(?:\s|$|\()", RegexOptions.CultureInvariant)]
    private static partial Regex BrandPattern();

    [GeneratedRegex(@"^h(?<n>[0-9]{2})", RegexOptions.CultureInvariant)]
    private static partial Regex SubTypePattern();
}

public static class OsBuild
{
    /// <summary>
    /// The macOS build from <c>kern.osversion</c> (e.g. <c>24B83</c>): trimmed of NULs and whitespace. An empty
    /// value is an error, since the program cache could not tell OS versions apart.
    /// </summary>
    public static string Parse(string? kernOsVersion)
    {
        var v = (kernOsVersion ?? "").Trim('\0', ' ', '\n', '\r', '\t');
        if (v.Length == 0)
            throw new InvalidOperationException("sysctl kern.osversion is empty; the program cache needs the macOS build number to know when compiled programs go stale");
        if (v.Any(c => !char.IsAsciiLetterOrDigit(c)))
            throw new InvalidOperationException($"sysctl kern.osversion is '{v}', expected a build number such as 24B83");
        return v;
    }
}
