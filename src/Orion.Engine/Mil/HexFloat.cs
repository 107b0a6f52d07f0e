// C99 hexadecimal floating-point literals (`0x1.8p+4`), the exact spelling MIL text uses for fp16/fp32 constants
// (ane-reference.md section 4). Format is exact and normalised; Parse rounds correctly to nearest-even.
using System.Globalization;

namespace Orion.Engine.Mil;

/// <summary>Formats and parses C99 hex floats, plus <c>inf</c>, <c>-inf</c> and <c>nan</c>.</summary>
public static class HexFloat
{
    private const int MantissaBits = 52;
    private const int ExponentBias = 1023;

    /// <summary>
    /// The normalised hex spelling of <paramref name="value"/>: <c>0x1p-3</c>, <c>-0x1.8p+1</c>, <c>0x0p+0</c>;
    /// subnormals are normalised too (<c>0x1p-1074</c>). Trailing zero hex digits of the fraction are dropped.
    /// </summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";

        var bits = BitConverter.DoubleToUInt64Bits(value);
        var sign = (bits >> 63) != 0 ? "-" : "";
        var biased = (int)((bits >> MantissaBits) & 0x7FF);
        var fraction = bits & ((1UL << MantissaBits) - 1);
        if (biased == 0 && fraction == 0) return sign + "0x0p+0";

        int exponent;
        if (biased == 0)
        {
            // Subnormal: shift the leading one up to the implicit-bit position.
            exponent = 1 - ExponentBias;
            while ((fraction & (1UL << MantissaBits)) == 0)
            {
                fraction <<= 1;
                exponent--;
            }
            fraction &= (1UL << MantissaBits) - 1;
        }
        else
        {
            exponent = biased - ExponentBias;
        }

        var digits = fraction.ToString("x13", CultureInfo.InvariantCulture).TrimEnd('0');
        var mantissa = digits.Length == 0 ? "0x1" : "0x1." + digits;
        var exp = exponent >= 0 ? "+" + exponent.ToString(CultureInfo.InvariantCulture) : exponent.ToString(CultureInfo.InvariantCulture);
        return sign + mantissa + "p" + exp;
    }

    /// <summary>Parses what <see cref="Format"/> writes, and any C99 hex float (exponent optional).</summary>
    public static double Parse(string text) => TryParse(text, out var v)
        ? v
        : throw new FormatException($"'{text}' is not a hex float; expected e.g. 0x1.8p+4, -0x1p-3, inf or nan");

    public static bool TryParse(string? text, out double value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text)) return false;
        var i = 0;
        var negative = false;
        if (text[0] is '+' or '-')
        {
            negative = text[0] == '-';
            i = 1;
        }

        var rest = text.AsSpan(i);
        if (rest.SequenceEqual("inf") || rest.SequenceEqual("infinity"))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (rest.SequenceEqual("nan"))
        {
            value = double.NaN;
            return true;
        }
        if (!TryParseMagnitude(rest, out var magnitude)) return false;
        value = negative ? -magnitude : magnitude;
        return true;
    }

    private static bool TryParseMagnitude(ReadOnlySpan<char> s, out double value)
    {
        value = 0;
        if (s.Length < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
        var i = 2;
        ulong mantissa = 0;
        var sticky = false;
        long exponent = 0; // power of two applied to `mantissa`
        var anyDigit = false;
        var seenPoint = false;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '.')
            {
                if (seenPoint) return false;
                seenPoint = true;
                continue;
            }
            var d = HexDigit(c);
            if (d < 0) break;
            anyDigit = true;
            if ((mantissa >> 60) == 0)
            {
                mantissa = (mantissa << 4) | (uint)d;
                if (seenPoint) exponent -= 4;
            }
            else
            {
                // No room: the digit only matters as a sticky bit for rounding.
                sticky |= d != 0;
                if (!seenPoint) exponent += 4;
            }
        }
        if (!anyDigit) return false;

        if (i < s.Length)
        {
            if (s[i] != 'p' && s[i] != 'P') return false;
            i++;
            var expNegative = false;
            if (i < s.Length && s[i] is '+' or '-')
            {
                expNegative = s[i] == '-';
                i++;
            }
            if (i >= s.Length) return false;
            long e = 0;
            for (; i < s.Length; i++)
            {
                if (s[i] is < '0' or > '9') return false;
                if (e < 100_000) e = e * 10 + (s[i] - '0'); // beyond this every value is 0 or inf anyway
            }
            exponent += expNegative ? -e : e;
        }

        value = Compose(mantissa, sticky, exponent);
        return true;
    }

    /// <summary>mantissa * 2^exponent rounded to the nearest double (ties to even), honouring the sticky bit.</summary>
    private static double Compose(ulong mantissa, bool sticky, long exponent)
    {
        if (mantissa == 0) return 0;
        var lz = System.Numerics.BitOperations.LeadingZeroCount(mantissa);
        mantissa <<= lz;
        exponent -= lz;                        // value = mantissa * 2^exponent, mantissa in [2^63, 2^64)
        var top = exponent + 63;               // unbiased exponent of the leading bit
        if (top > 1023) return double.PositiveInfinity;
        var keep = top >= -1022 ? 53 : 53 - (int)Math.Min(64, -1022 - top);
        if (keep < 0) return 0;
        if (keep == 0) return mantissa > (1UL << 63) || sticky ? double.Epsilon : 0;

        var shift = 64 - keep;
        var kept = mantissa >> shift;
        var remainder = mantissa & ((1UL << shift) - 1);
        var half = 1UL << (shift - 1);
        if (remainder > half || (remainder == half && (sticky || (kept & 1) == 1))) kept++;
        return Math.ScaleB(kept, (int)(exponent + shift)); // exact: kept fits the available precision
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
