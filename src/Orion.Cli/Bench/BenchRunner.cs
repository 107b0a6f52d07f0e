// The in-repo benchmark runner: reference check first, warm-up, repeated timed runs, median and min (style.md, Tests).
using System.Diagnostics;

namespace Orion.Cli.Bench;

/// <summary>
/// Runs one benchmark: <c>check</c> once (it throws when the result is wrong, and then nothing is timed), warm-up
/// runs, then timed runs per <see cref="BenchOptions"/>. The clock is injectable (<c>timeOnce</c> runs the action and
/// returns its duration in seconds) so tests decide durations instead of measuring them.
/// </summary>
public sealed class BenchRunner
{
    private readonly Func<Action, double> _timeOnce;

    public BenchRunner(BenchOptions? options = null, Func<Action, double>? timeOnce = null)
    {
        Options = options ?? BenchOptions.Default;
        if (Options.MinRuns < 1 || Options.MaxRuns < Options.MinRuns || Options.WarmupRuns < 0)
            throw new ArgumentException($"bench options {Options} need 1 <= MinRuns <= MaxRuns and WarmupRuns >= 0", nameof(options));
        _timeOnce = timeOnce ?? StopwatchTime;
    }

    public BenchOptions Options { get; }

    public BenchResult Run(string name, Action check, Action measured)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(measured);
        try
        {
            check();
        }
        catch (Exception ex)
        {
            return BenchResult.Failure(name, $"reference check failed, nothing timed: {ex.Message}");
        }

        var samples = new List<double>();
        try
        {
            for (int i = 0; i < Options.WarmupRuns; i++) measured();
            double total = 0;
            while (!Done(samples.Count, total))
            {
                var t = _timeOnce(measured);
                samples.Add(t);
                total += t;
            }
        }
        catch (Exception ex)
        {
            return BenchResult.Failure(name, $"run {samples.Count + 1} threw: {ex.Message}");
        }
        return new BenchResult(name, Median(samples), samples.Min(), samples.Count);
    }

    private bool Done(int runs, double total) =>
        runs >= Options.MaxRuns
        || (runs > 0 && total >= Options.MaxSeconds)
        || (runs >= Options.MinRuns && total >= Options.MinSeconds);

    public static double Median(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples", nameof(samples));
        var s = samples.Order().ToArray();
        int mid = s.Length / 2;
        return s.Length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }

    private static double StopwatchTime(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
