// How long BenchRunner measures: warm-up runs, then repeats until enough runs and time, within caps (style.md, Tests).
namespace Orion.Cli.Bench;

/// <summary>
/// Repeats stop once at least <see cref="MinRuns"/> runs took at least <see cref="MinSeconds"/> in total, or at a cap:
/// <see cref="MaxRuns"/> runs or <see cref="MaxSeconds"/> of measured time (so one very slow benchmark stays bounded).
/// </summary>
public sealed record BenchOptions(int WarmupRuns = 2, int MinRuns = 7, double MinSeconds = 0.5, int MaxRuns = 1000, double MaxSeconds = 10)
{
    public static BenchOptions Default { get; } = new();
}
