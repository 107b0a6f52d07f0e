// Durations and sizes (HOCON.md "Duration format", "Size in bytes format"), through HoconUnits and through getters.
using Orion.Engine.Config;
using Xunit;
using static Orion.Engine.Tests.Config.HoconAssert;

namespace Orion.Engine.Tests.Config;

public sealed class HoconUnitsTests
{
    [Theory]
    [InlineData("10s", 10_000.0)]
    [InlineData("250 ms", 250.0)]
    [InlineData("2 minutes", 120_000.0)]
    [InlineData("1h", 3_600_000.0)]
    [InlineData("1.5s", 1_500.0)]
    [InlineData("3 days", 259_200_000.0)]
    [InlineData("500us", 0.5)]
    [InlineData("100000 ns", 0.1)]
    [InlineData("42", 42.0)]
    [InlineData("0", 0.0)]
    [InlineData("1e3 ms", 1_000.0)]
    public void TryParseDuration_UnitsOfTheSpec_GiveMilliseconds(string text, double milliseconds)
    {
        Assert.True(HoconUnits.TryParseDuration(text, out var value));
        Assert.Equal(TimeSpan.FromTicks((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond)), value);
    }

    [Theory]
    [InlineData("10 sec")]
    [InlineData("10S")]
    [InlineData("s")]
    [InlineData("-5s")]
    [InlineData("fast")]
    [InlineData("1e30 days")]
    public void TryParseDuration_BadText_IsRejected(string text) =>
        Assert.False(HoconUnits.TryParseDuration(text, out _));

    [Theory]
    [InlineData("64MiB", 64L << 20)]
    [InlineData("1 GiB", 1L << 30)]
    [InlineData("512k", 512L << 10)]
    [InlineData("512K", 512L << 10)]
    [InlineData("10 MB", 10_000_000L)]
    [InlineData("1kB", 1_000L)]
    [InlineData("2 gibibytes", 2L << 30)]
    [InlineData("1.5KiB", 1536L)]
    [InlineData("4096", 4096L)]
    [InlineData("7 bytes", 7L)]
    [InlineData("1T", 1L << 40)]
    public void TryParseBytes_UnitsOfTheSpec_GiveBytes(string text, long bytes)
    {
        Assert.True(HoconUnits.TryParseBytes(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-64MiB")]
    [InlineData("10 mb")]
    [InlineData("lots")]
    [InlineData("9 EiB")]
    [InlineData("1e40")]
    public void TryParseBytes_BadText_IsRejected(string text) =>
        Assert.False(HoconUnits.TryParseBytes(text, out _));

    [Fact]
    public void GetDuration_BareNumberInConfig_IsMilliseconds()
    {
        var s = new ConfigSection(Parse("a = 1500\nb = 1.5s\nc = \"2 minutes\""), "");
        Assert.Equal(TimeSpan.FromMilliseconds(1500), s.GetDuration("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), s.GetDuration("b"));
        Assert.Equal(TimeSpan.FromMinutes(2), s.GetDuration("c"));
    }

    [Fact]
    public void GetBytes_ValuesInConfig_Parse()
    {
        var s = new ConfigSection(Parse("a = 64MiB\nb = 1 GiB\nc = 4096"), "");
        Assert.Equal(64L << 20, s.GetBytes("a"));
        Assert.Equal(1L << 30, s.GetBytes("b"));
        Assert.Equal(4096L, s.GetBytes("c"));
    }
}
