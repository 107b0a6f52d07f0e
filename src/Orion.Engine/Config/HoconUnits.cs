// Durations and sizes in bytes as HOCON.md "Units format" defines them: a number, optional spaces, an optional unit.
// A bare number is milliseconds (durations) or bytes (sizes). Public so command-line flags parse like config values.
using System.Globalization;

namespace Orion.Engine.Config;

public static class HoconUnits
{
    public const string DurationHelp =
        "a duration such as 10s, 250 ms, 1.5s, 2 minutes or 1h (units ns, us, ms, s, m, h, d; a bare number is milliseconds)";

    public const string SizeHelp =
        "a size such as 512k, 64MiB, 1 GiB or 10 MB (k/M/G/T = powers of 1024, kB/MB/GB/TB = powers of 1000; a bare number is bytes)";

    private static readonly Dictionary<string, decimal> DurationNanos = Table(
        (1m, ["ns", "nano", "nanos", "nanosecond", "nanoseconds"]),
        (1e3m, ["us", "micro", "micros", "microsecond", "microseconds"]),
        (1e6m, ["ms", "milli", "millis", "millisecond", "milliseconds"]),
        (1e9m, ["s", "second", "seconds"]),
        (60e9m, ["m", "minute", "minutes"]),
        (3600e9m, ["h", "hour", "hours"]),
        (86400e9m, ["d", "day", "days"]));

    private static readonly Dictionary<string, decimal> SizeBytes = SizeTable();

    public static bool TryParseDuration(string text, out TimeSpan value) => ParseDuration(text, out value) is null;

    public static bool TryParseBytes(string text, out long value) => ParseBytes(text, out value) is null;

    /// <summary>Null on success, else what is wrong with the text ("has unknown unit 'sec'").</summary>
    internal static string? ParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var problem = Split(text, DurationNanos, 1e6m, out var nanos);
        if (problem is not null) return problem;
        if (nanos < 0) return "is negative";
        var ticks = decimal.Round(nanos / 100m, MidpointRounding.AwayFromZero);
        if (ticks > TimeSpan.MaxValue.Ticks) return "is too long";
        value = TimeSpan.FromTicks((long)ticks);
        return null;
    }

    internal static string? ParseBytes(string text, out long value)
    {
        value = 0;
        var problem = Split(text, SizeBytes, 1m, out var bytes);
        if (problem is not null) return problem;
        if (bytes < 0) return "is negative";
        if (bytes > long.MaxValue) return "is too large (over 8 EiB)";
        value = (long)decimal.Truncate(bytes);
        return null;
    }

    /// <summary>Number times the unit's factor; units are case-sensitive (HOCON.md: durations lowercase only).</summary>
    private static string? Split(string text, Dictionary<string, decimal> units, decimal defaultFactor, out decimal amount)
    {
        amount = 0;
        var s = text.Trim();
        int unitStart = s.Length;
        while (unitStart > 0 && char.IsLetter(s[unitStart - 1])) unitStart--;
        var unit = s[unitStart..];
        var number = s[..unitStart].TrimEnd();
        if (number.Length == 0) return "has no number";
        if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var n))
            return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? "is out of range" : $"has no valid number ('{number}')";
        decimal factor = defaultFactor;
        if (unit.Length > 0 && !units.TryGetValue(unit, out factor)) return $"has unknown unit '{unit}'";
        try
        {
            amount = n * factor;
            return null;
        }
        catch (OverflowException)
        {
            return "is out of range";
        }
    }

    private static Dictionary<string, decimal> Table(params (decimal Factor, string[] Names)[] rows)
    {
        var d = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (factor, names) in rows)
            foreach (var name in names) d[name] = factor;
        return d;
    }

    private static Dictionary<string, decimal> SizeTable()
    {
        var d = Table((1m, ["B", "b", "byte", "bytes"]));
        string[] decimalPrefixes = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
        string[] decimalNames = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] binaryNames = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        decimal power10 = 1m, power2 = 1m;
        for (int i = 0; i < decimalPrefixes.Length; i++)
        {
            power10 *= 1000m;
            power2 *= 1024m;
            var p = decimalPrefixes[i];
            var upper = p.ToUpperInvariant();
            foreach (var name in new[] { p + "B", decimalNames[i] + "byte", decimalNames[i] + "bytes" }) d[name] = power10;
            foreach (var name in new[] { upper, upper.ToLowerInvariant(), upper + "i", upper + "iB", binaryNames[i] + "byte", binaryNames[i] + "bytes" })
                d[name] = power2;
        }
        return d;
    }
}
