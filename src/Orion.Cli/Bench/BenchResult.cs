// One benchmark's outcome and its `bench ...` line (cli-contract.md, `orion bench`).
using System.Globalization;
using System.Text;

namespace Orion.Cli.Bench;

/// <summary>
/// Median and minimum time of the measured runs plus optional derived figures. A failed benchmark (reference check or
/// run threw) has <see cref="Error"/> set and no timing.
/// </summary>
public sealed record BenchResult(string Name, double MedianSeconds, double MinSeconds, int Runs)
{
    public string? Error { get; init; }
    public double? Rate { get; init; }
    public string? RateUnit { get; init; }
    public double? Ratio { get; init; }
    public double? PeakFraction { get; init; }
    public double? BwFraction { get; init; }

    public bool Failed => Error is not null;

    public static BenchResult Failure(string name, string error) =>
        new(name, double.NaN, double.NaN, 0) { Error = error.ReplaceLineEndings(" ") };

    /// <summary>A rate from work done per run over the median time, e.g. <c>WithRatePerRun(bytes, 1e9, "GB/s")</c>.</summary>
    public BenchResult WithRatePerRun(double workPerRun, double unitScale, string unit) =>
        Failed ? this : this with { Rate = workPerRun / MedianSeconds / unitScale, RateUnit = unit };

    public BenchResult WithRatio(double ratio) => Failed ? this : this with { Ratio = ratio };

    /// <summary>Sets peak-fraction = <paramref name="gflops"/> / the machine's FMA peak.</summary>
    public BenchResult WithPeakFraction(double gflops, IMachineLimits limits) =>
        Failed ? this : this with { PeakFraction = gflops / limits.FmaPeakGflops };

    /// <summary>Sets bw-fraction = <paramref name="gbPerSecond"/> / the machine's memcpy bandwidth.</summary>
    public BenchResult WithBwFraction(double gbPerSecond, IMachineLimits limits) =>
        Failed ? this : this with { BwFraction = gbPerSecond / limits.MemcpyGBps };

    /// <summary>
    /// <c>bench &lt;name&gt; median=&lt;v&gt;&lt;unit&gt; min=&lt;v&gt;&lt;unit&gt;[ rate=..][ ratio=..][ peak-fraction=..][ bw-fraction=..]</c>,
    /// or <c>bench &lt;name&gt; error: &lt;message&gt;</c>. Invariant culture, about 3 significant digits.
    /// </summary>
    public string FormatLine()
    {
        var sb = new StringBuilder("bench ").Append(Name);
        if (Error is not null)
            return sb.Append(" error: ").Append(Error).ToString();
        var (scale, unit) = MedianSeconds switch
        {
            < 1e-6 => (1e9, "ns"),
            < 1e-3 => (1e6, "us"),
            _ => (1e3, "ms"),
        };
        sb.Append(" median=").Append(Number(MedianSeconds * scale)).Append(unit);
        sb.Append(" min=").Append(Number(MinSeconds * scale)).Append(unit);
        if (Rate is { } r) sb.Append(" rate=").Append(Number(r)).Append(RateUnit);
        if (Ratio is { } q) sb.Append(" ratio=").Append(Number(q));
        if (PeakFraction is { } p) sb.Append(" peak-fraction=").Append(Number(p));
        if (BwFraction is { } b) sb.Append(" bw-fraction=").Append(Number(b));
        return sb.ToString();
    }

    /// <summary>About 3 significant digits, never exponent notation (the contract's <c>[0-9.]+</c>).</summary>
    public static string Number(double v)
    {
        if (double.IsNaN(v) || double.IsInfinity(v) || v < 0)
            throw new ArgumentOutOfRangeException(nameof(v), v, "bench figures are finite and non-negative");
        if (v == 0) return "0";
        if (v >= 100) return v.ToString("F0", CultureInfo.InvariantCulture);
        int decimals = Math.Clamp(2 - (int)Math.Floor(Math.Log10(v)), 0, 12);
        return v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
