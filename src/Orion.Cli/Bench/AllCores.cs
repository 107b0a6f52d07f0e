// Runs one piece of work per core on dedicated threads released together, for the machine-limit measurements.
// Parallel.For may run both halves of a 2-way loop on one thread (observed: bimodal 8 ms / 16 ms timings on 2 cores).
using System.Diagnostics;

namespace Orion.Cli.Bench;

public static class AllCores
{
    /// <summary>
    /// Starts <paramref name="threads"/> threads, releases them at once through a barrier, runs
    /// <paramref name="work"/>(index) on each, and returns the wall time in seconds from the first start to the last end.
    /// </summary>
    public static double Run(int threads, Action<int> work)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentNullException.ThrowIfNull(work);
        var starts = new long[threads];
        var ends = new long[threads];
        Exception? failure = null;
        using var barrier = new Barrier(threads);
        var pool = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            pool[t] = new Thread(() =>
            {
                barrier.SignalAndWait();
                starts[index] = Stopwatch.GetTimestamp();
                try
                {
                    work(index);
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref failure, ex, null);
                }
                ends[index] = Stopwatch.GetTimestamp();
            })
            { IsBackground = true, Name = $"bench-core-{index}" };
            pool[t].Start();
        }
        foreach (var th in pool) th.Join();
        if (failure is not null)
            throw new InvalidOperationException($"benchmark worker failed: {failure.Message}", failure);
        return (ends.Max() - starts.Min()) / (double)Stopwatch.Frequency;
    }
}
