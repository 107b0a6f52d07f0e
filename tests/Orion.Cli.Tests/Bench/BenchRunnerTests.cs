// Tests for the bench runner and line format with injected durations: timing never decides a test (style.md, Tests).
using System.Text.RegularExpressions;
using Orion.Cli.Bench;
using Xunit;

namespace Orion.Cli.Tests.Bench;

public sealed class BenchRunnerTests
{
    internal const string LinePattern =
        @"^bench [a-z0-9-]+ median=[0-9.]+[a-z]+ min=[0-9.]+[a-z]+( rate=[0-9.]+[A-Za-z/]+)?( ratio=[0-9.]+)?( peak-fraction=[0-9.]+)?( bw-fraction=[0-9.]+)?$";

    [Fact]
    public void Run_InjectedTimings_MedianAndMinComputed()
    {
        var durations = new Queue<double>([0.005, 0.001, 0.003, 0.002, 0.004]);
        int calls = 0;
        var runner = new BenchRunner(new BenchOptions(WarmupRuns: 2, MinRuns: 5, MinSeconds: 0), Fake(durations));

        var r = runner.Run("x", check: () => { }, measured: () => calls++);

        Assert.Equal(0.003, r.MedianSeconds, 12);
        Assert.Equal(0.001, r.MinSeconds, 12);
        Assert.Equal(5, r.Runs);
        Assert.Equal(2 + 5, calls);
        Assert.Null(r.Error);
    }

    [Fact]
    public void Median_EvenCount_AveragesMiddlePair()
    {
        Assert.Equal(2.5, BenchRunner.Median([4, 1, 3, 2]));
    }

    [Fact]
    public void Run_ShortRuns_RepeatsUntilMinSeconds()
    {
        var runner = new BenchRunner(new BenchOptions(WarmupRuns: 0, MinRuns: 2, MinSeconds: 0.5), _ => 0.1);
        Assert.Equal(5, runner.Run("x", () => { }, () => { }).Runs);
    }

    [Fact]
    public void Run_SlowRuns_CappedByMaxSeconds()
    {
        var runner = new BenchRunner(new BenchOptions(WarmupRuns: 0, MinRuns: 7, MinSeconds: 0.5, MaxSeconds: 10), _ => 4.0);
        Assert.Equal(3, runner.Run("x", () => { }, () => { }).Runs);
    }

    [Fact]
    public void Run_ManyTinyRuns_CappedByMaxRuns()
    {
        var runner = new BenchRunner(new BenchOptions(WarmupRuns: 0, MinRuns: 7, MinSeconds: 0.5, MaxRuns: 50), _ => 1e-6);
        Assert.Equal(50, runner.Run("x", () => { }, () => { }).Runs);
    }

    [Fact]
    public void Run_ReferenceCheckThrows_ErrorAndNothingTimed()
    {
        int measured = 0, timed = 0;
        var runner = new BenchRunner(new BenchOptions(), a => { timed++; a(); return 0.01; });

        var r = runner.Run("wrong", () => throw new InvalidOperationException("got 3, expected 4"), () => measured++);

        Assert.True(r.Failed);
        Assert.Contains("got 3, expected 4", r.Error, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0), (measured, timed, r.Runs));
        var line = r.FormatLine();
        Assert.StartsWith("bench wrong error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("median", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MeasuredActionThrows_Error()
    {
        var runner = new BenchRunner(new BenchOptions(WarmupRuns: 0), a => { a(); return 0.01; });
        var r = runner.Run("boom", () => { }, () => throw new InvalidOperationException("bad"));
        Assert.True(r.Failed);
        Assert.Contains("bad", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatLine_AllFields_MatchesContract()
    {
        var r = new BenchResult("memcpy", 0.0123456, 0.0119, 9) { Rate = 21.83, RateUnit = "GB/s", Ratio = 1.5, PeakFraction = 0.4567, BwFraction = 0.98765 };

        var line = r.FormatLine();

        Assert.Equal("bench memcpy median=12.3ms min=11.9ms rate=21.8GB/s ratio=1.50 peak-fraction=0.457 bw-fraction=0.988", line);
        Assert.Matches(LinePattern, line);
    }

    [Theory]
    [InlineData(0.25, 0.2, "bench t median=250ms min=200ms")]
    [InlineData(2.5, 1.25, "bench t median=2500ms min=1250ms")]
    [InlineData(0.000456, 0.0004, "bench t median=456us min=400us")]
    [InlineData(0.0000021, 0.000002, "bench t median=2.10us min=2.00us")]
    [InlineData(3e-8, 2.5e-8, "bench t median=30.0ns min=25.0ns")]
    public void FormatLine_TimeUnits_ThreeSignificantDigits(double median, double min, string expected)
    {
        var line = new BenchResult("t", median, min, 7).FormatLine();
        Assert.Equal(expected, line);
        Assert.Matches(LinePattern, line);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(0.000123456, "0.000123")]
    [InlineData(1.0, "1.00")]
    [InlineData(99.94, "99.9")]
    [InlineData(123456.7, "123457")]
    public void Number_Values_InvariantNoExponent(double v, string expected)
    {
        Assert.Equal(expected, BenchResult.Number(v));
    }

    [Fact]
    public void WithRatePerRun_WorkOverMedian_RateAndFractions()
    {
        var limits = new FakeLimits(FmaPeakGflops: 100, MemcpyGBps: 20);
        var r = new BenchResult("k", 0.5, 0.4, 7).WithRatePerRun(20e9, 1e9, "GFLOP/s");
        r = r.WithPeakFraction(r.Rate!.Value, limits).WithBwFraction(10, limits);
        Assert.Equal(40, r.Rate!.Value, 9);
        Assert.Equal(0.4, r.PeakFraction!.Value, 9);
        Assert.Equal(0.5, r.BwFraction!.Value, 9);
    }

    [Fact]
    public void FmaKernel_SmallRun_MatchesScalarReferenceBitForBit()
    {
        Assert.Equal(BitConverter.SingleToInt32Bits(FmaKernel.Reference(777)), BitConverter.SingleToInt32Bits(FmaKernel.Run(777)));
    }

    [Fact]
    public void CopyOnAllCores_OddLength_CopiesEveryByte()
    {
        var src = Enumerable.Range(0, (1 << 20) + 3).Select(i => (byte)(i * 7)).ToArray();
        var dst = new byte[src.Length];
        MachineLimits.CopyOnAllCores(src, dst, 3);
        Assert.Equal(src, dst);
    }

    internal static Func<Action, double> Fake(Queue<double> durations) => action =>
    {
        action();
        return durations.Dequeue();
    };

    internal sealed record FakeLimits(double FmaPeakGflops, double MemcpyGBps) : IMachineLimits;
}

internal static class RegexAssertExtensions
{
    public static bool IsContractLine(this string line) => Regex.IsMatch(line, BenchRunnerTests.LinePattern);
}
