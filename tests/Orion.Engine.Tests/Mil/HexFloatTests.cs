// HexFloat: exact C99 hex float formatting and correctly rounded parsing, including fp16 subnormals.
using Orion.Engine.Mil;
using Xunit;

namespace Orion.Engine.Tests.Mil;

public sealed class HexFloatTests
{
    [Theory]
    [InlineData(0.125, "0x1p-3")]
    [InlineData(-3.0, "-0x1.8p+1")]
    [InlineData(24.0, "0x1.8p+4")]
    [InlineData(1.0, "0x1p+0")]
    [InlineData(0.0, "0x0p+0")]
    [InlineData(-0.0, "-0x0p+0")]
    [InlineData(65504.0, "0x1.ffcp+15")]
    [InlineData(5.9604644775390625E-08, "0x1p-24")]
    [InlineData(double.Epsilon, "0x1p-1074")]
    [InlineData(double.MaxValue, "0x1.fffffffffffffp+1023")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    public void Format_KnownValues_MatchC99(double value, string expected)
    {
        Assert.Equal(expected, HexFloat.Format(value));
    }

    [Theory]
    [InlineData("0x1p-3", 0.125)]
    [InlineData("0X1P-3", 0.125)]
    [InlineData("0x1.8p+4", 24.0)]
    [InlineData("-0x1p-2", -0.25)]
    [InlineData("0x.8p1", 1.0)]
    [InlineData("0x10", 16.0)]
    [InlineData("0x1.0000000000000800p+0", 1.0)]               // exact tie: rounds to even (down)
    [InlineData("0x1.0000000000000801p+0", 1.0000000000000002)] // just above the tie: up
    [InlineData("0x1.0000000000001800p+0", 1.0000000000000004)] // tie with odd kept bit: up
    [InlineData("0x1p-1075", 0.0)]                              // half the smallest subnormal: ties to 0
    [InlineData("0x1.0000001p-1075", double.Epsilon)]
    [InlineData("0x1p+1024", double.PositiveInfinity)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    public void Parse_KnownSpellings_RoundCorrectly(string text, double expected)
    {
        Assert.Equal(expected, HexFloat.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0xp3")]
    [InlineData("1.5")]
    [InlineData("0x1p")]
    [InlineData("0x1.2.3p0")]
    [InlineData("0x1q")]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(HexFloat.TryParse(text, out _));
    }

    [Fact]
    public void FormatThenParse_EveryFp16Value_IsExact()
    {
        for (var bits = 0; bits <= ushort.MaxValue; bits++)
        {
            var h = (double)BitConverter.UInt16BitsToHalf((ushort)bits);
            var back = HexFloat.Parse(HexFloat.Format(h));
            if (double.IsNaN(h)) Assert.True(double.IsNaN(back));
            else Assert.Equal(BitConverter.DoubleToInt64Bits(h), BitConverter.DoubleToInt64Bits(back));
        }
    }

    [Fact]
    public void FormatThenParse_RandomDoubles_AreExact()
    {
        var rng = new Random(42);
        for (var i = 0; i < 20_000; i++)
        {
            var v = BitConverter.Int64BitsToDouble(rng.NextInt64(long.MinValue, long.MaxValue));
            if (double.IsNaN(v)) continue;
            Assert.Equal(BitConverter.DoubleToInt64Bits(v), BitConverter.DoubleToInt64Bits(HexFloat.Parse(HexFloat.Format(v))));
        }
    }

    [Fact]
    public void Format_Fp16Subnormal_IsNormalisedSpelling()
    {
        var smallest = (double)BitConverter.UInt16BitsToHalf(1);
        var largestSubnormal = (double)BitConverter.UInt16BitsToHalf(0x03FF);

        Assert.Equal("0x1p-24", HexFloat.Format(smallest));
        Assert.Equal("0x1.ff8p-15", HexFloat.Format(largestSubnormal));
    }
}
