// The cluster issue's benchmarks (cli-contract.md, `orion bench`): `exchange-n2` / `exchange-n4` (one coordinator round
// of 100 MB tensors over the data plane on loopback, MB/s next to raw loopback TCP in the same run) and `step-overhead` (+ its
// `-journal` share): per-step orchestration time of the real coordinator with 4 zero-cost workers on a tiny model.
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
    /// Median/min of one round (every worker GETs the weights and POSTs a gradient over the data plane, without TLS);
    /// rate = tensor MB (10^6 bytes, both directions) per second; ratio = that rate over raw loopback TCP moving the
    /// same bytes on as many connections, measured just before (target: at least 0.8). Each side checks a round's
    /// bytes before timing. Received tensors come from the TensorPool, as in a run.
    /// </summary>
    public static BenchResult Exchange(BenchContext ctx, ExchangeSize size, string name)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(size);
        size.Validate();
        BenchResult raw;
        using (var tcp = LoopbackTcp.Connect(size.Workers, size.MessageBytes))
            raw = ctx.Runner.Run(name + "-raw-tcp", check: tcp.CheckRound, measured: tcp.Round);
        if (raw.Failed) return BenchResult.Failure(name, $"the raw loopback TCP reference failed, so there is no ratio: {raw.Error}");

        var plane = DataPlaneExchange.StartAsync(size.Workers, size.Floats).GetAwaiter().GetResult();
        BenchResult ours;
        try
        {
            ours = ctx.Runner.Run(name, check: plane.CheckRound, measured: plane.Round);
        }
        finally
        {
            plane.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return ours.WithRatePerRun(size.RoundBytes, 1e6, "MB/s").WithRatio(raw.MedianSeconds / ours.MedianSeconds);
    }

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
