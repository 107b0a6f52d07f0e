// Typed readings of a scalar, with the conversions HOCON.md "Automatic type conversions" allows (numeric strings to
// numbers, yes/no/on/off to booleans) and none it forbids (null, lists and objects never become anything else).
// Each returns null on success or the problem ("is not a whole number") for the caller's message.
using System.Globalization;

namespace Orion.Engine.Config;

internal static class HoconConvert
{
    public static string? ToText(HoconValue value, out string text)
    {
        text = "";
        if (value is not HoconScalar { Kind: not HoconScalarKind.Null } s) return $"is {value.Describe()}";
        text = s.Text;
        return null;
    }

    public static string? ToLong(HoconValue value, long min, long max, out long result)
    {
        result = 0;
        if (value is not HoconScalar { Kind: HoconScalarKind.Number or HoconScalarKind.String } s) return $"is {value.Describe()}";
        var text = s.Text.Trim();
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result))
        {
            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                if (d != decimal.Truncate(d)) return "is not a whole number";
                if (d < long.MinValue || d > long.MaxValue) return "is out of range";
                result = (long)d;
            }
            else
            {
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? "is out of range" : "is not a number";
            }
        }
        return result < min || result > max ? "is out of range" : null;
    }

    public static string? ToDouble(HoconValue value, out double result)
    {
        result = 0;
        if (value is not HoconScalar { Kind: HoconScalarKind.Number or HoconScalarKind.String } s) return $"is {value.Describe()}";
        if (!double.TryParse(s.Text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out result)) return "is not a number";
        return double.IsFinite(result) ? null : "is out of range";
    }

    public static string? ToBool(HoconValue value, out bool result)
    {
        result = false;
        if (value is not HoconScalar { Kind: HoconScalarKind.Boolean or HoconScalarKind.String } s) return $"is {value.Describe()}";
        switch (s.Text)
        {
            case "true" or "yes" or "on": result = true; return null;
            case "false" or "no" or "off": result = false; return null;
            default: return "is not a boolean";
        }
    }

    public static string? ToDuration(HoconValue value, out TimeSpan result)
    {
        result = default;
        if (value is not HoconScalar { Kind: HoconScalarKind.Number or HoconScalarKind.String } s) return $"is {value.Describe()}";
        return HoconUnits.ParseDuration(s.Text, out result);
    }

    public static string? ToBytes(HoconValue value, out long result)
    {
        result = 0;
        if (value is not HoconScalar { Kind: HoconScalarKind.Number or HoconScalarKind.String } s) return $"is {value.Describe()}";
        return HoconUnits.ParseBytes(s.Text, out result);
    }

    /// <summary>How a value is shown in an error: text in quotes, numbers and booleans as written.</summary>
    public static string Show(HoconValue value) => value switch
    {
        HoconScalar { Kind: HoconScalarKind.String } s => "\"" + s.Text + "\"",
        HoconScalar s => s.Text,
        HoconArray => "[...]",
        _ => "{...}",
    };
}
