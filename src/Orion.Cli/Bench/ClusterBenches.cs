// The cluster issue's benchmarks (cli-contract.md, `orion bench`): `exchange-n2` / `exchange-n4` (one coordinator round
// of 100 MB tensors over the data plane on loopback, MB/s next to raw loopback TCP in the same run; the `-tls` pair
// is in DataPlaneExchangeBenches) and `step-overhead` (+ its `-journal` share): per-step orchestration time of the
// real coordinator with 4 zero-cost workers on a tiny model.
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Orion.Cli.Bench;

public static class ClusterBenches
{
    private static readonly ConditionalWeakTable<BenchContext, ConcurrentDictionary<(StepOverheadSize, string), Lazy<StepOverheadResults>>> StepResults = new();

    private sealed record StepOverheadResults(BenchResult Step, BenchResult Journal);

    public static BenchResult ExchangeN2(BenchContext ctx) => Exchange(ctx, new ExchangeSize(2, ExchangeSize.DefaultMessageBytes), "exchange-n2");

    public static BenchResult ExchangeN4(BenchContext ctx) => Exchange(ctx, new ExchangeSize(4, ExchangeSize.DefaultMessageBytes), "exchange-n4");

    /// <summary>
    /// One round over the data plane without TLS next to raw loopback TCP moving the same bytes, in rounds taken in
    /// turn (<see cref="DataPlaneExchangeBenches.Exchange"/>; target: ratio at least 0.8).
    /// </summary>
    public static BenchResult Exchange(BenchContext ctx, ExchangeSize size, string name) => DataPlaneExchangeBenches.Exchange(ctx, size, name, tls: false);

    public static BenchResult StepOverhead(BenchContext ctx) => StepOverhead(ctx, StepOverheadSize.Default, "step-overhead");

    public static BenchResult StepOverheadJournal(BenchContext ctx) => StepOverheadJournal(ctx, StepOverheadSize.Default, "step-overhead");

    /// <summary>Median/min time per step (commit to commit) of the zero-cost run (the target: under 5 ms).</summary>
    public static BenchResult StepOverhead(BenchContext ctx, StepOverheadSize size, string name) => Measure(ctx, size, name).Step;

    /// <summary>
    /// The line <c>&lt;name&gt;-journal</c>: median/min time per step from Persist to durable (Akka.Persistence.Sql on SQLite, WAL,
    /// synchronous=FULL) and ratio = that median over the step median, the journal's share. It shares the step
    /// measurement of <see cref="StepOverhead(BenchContext, StepOverheadSize, string)"/> (one run per context).
    /// </summary>
    public static BenchResult StepOverheadJournal(BenchContext ctx, StepOverheadSize size, string name) => Measure(ctx, size, name).Journal;

    private static StepOverheadResults Measure(BenchContext ctx, StepOverheadSize size, string name)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(size);
        ArgumentException.ThrowIfNullOrEmpty(name);
        size.Validate();
        return StepResults.GetOrCreateValue(ctx).GetOrAdd((size, name), k => new Lazy<StepOverheadResults>(() => MeasureSteps(ctx, k.Item1, k.Item2))).Value;
    }

    private static StepOverheadResults MeasureSteps(BenchContext ctx, StepOverheadSize size, string name)
    {
        string journalName = name + "-journal";
        var timeline = new StepTimeline(size, ctx.Runner.Options);
        BenchResult step;
        try
        {
            // The runner's repetition rules with the coordinator's clock (StepTimeline.TimeOnce).
            var runner = new BenchRunner(ctx.Runner.Options, timeline.TimeOnce);
            step = runner.Run(name, check: () => ZeroCostCluster.Check(size), measured: timeline.NextStep);
        }
        finally
        {
            timeline.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        if (step.Failed) return new(step, BenchResult.Failure(journalName, $"{name} failed, so there is no journal share: {step.Error}"));
        var samples = timeline.JournalSamples;
        double median = BenchRunner.Median(samples);
        var journal = new BenchResult(journalName, median, samples.Min(), samples.Count).WithRatio(median / step.MedianSeconds);
        return new(step, journal);
    }
}
