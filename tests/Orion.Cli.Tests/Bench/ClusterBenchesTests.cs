// The cluster benchmarks at small sizes (`exchange-n*`, `step-overhead`): reference checks pass, lines match the contract.
// Never speed: the figures of these short runs are meaningless and nothing here asserts on them.
using Orion.Cli.Bench;
using Xunit;

namespace Orion.Cli.Tests.Bench;

public sealed class ClusterBenchesTests
{
    private static BenchContext Context(int warmup = 1) => new(
        new BenchRunnerTests.FakeLimits(FmaPeakGflops: 100, MemcpyGBps: 20),
        new BenchRunner(new BenchOptions(WarmupRuns: warmup, MinRuns: 2, MinSeconds: 0, MaxRuns: 3)));

    [Fact]
    public void Exchange_SmallMessagesOverSeveralChunks_ChecksBytesAndLineHasRateAndRatio()
    {
        // 2,100,004 bytes: two full 1 MiB chunks and a partial third, so chunking and reassembly are both exercised.
        var r = ClusterBenches.Exchange(Context(), new ExchangeSize(Workers: 2, MessageBytes: 2_100_004), "exchange-n2");

        Assert.False(r.Failed, r.Error);
        var line = r.FormatLine();
        Assert.True(line.IsContractLine(), line);
        Assert.StartsWith("bench exchange-n2 median=", line, StringComparison.Ordinal);
        Assert.Contains("MB/s", line, StringComparison.Ordinal);
        Assert.Contains(" ratio=", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Exchange_FourWorkers_EveryWorkerAnswersAndLineIsWellFormed()
    {
        var r = ClusterBenches.Exchange(Context(warmup: 0), new ExchangeSize(Workers: 4, MessageBytes: 40_000), "exchange-n4");

        Assert.False(r.Failed, r.Error);
        Assert.True(r.FormatLine().IsContractLine(), r.FormatLine());
        Assert.Equal(2 * 4 * 40_000 / r.MedianSeconds / 1e6, r.Rate!.Value, 6);
    }

    [Fact]
    public void Exchange_MessageNotWholeFloats_ThrowsNamingTheSize()
    {
        var e = Assert.Throws<ArgumentException>(() => ClusterBenches.Exchange(Context(), new ExchangeSize(Workers: 2, MessageBytes: 1_000_002), "exchange-n2"));
        Assert.Contains("1,000,002", e.Message, StringComparison.Ordinal);
        Assert.Contains("multiple of 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoopbackTcp_CheckRound_EveryByteArrivesBothWays()
    {
        using var tcp = LoopbackTcp.Connect(connections: 3, bytes: 300_001);

        tcp.CheckRound();

        Assert.Equal(2L * 3 * 300_001, tcp.RoundBytes);
    }

    [Fact]
    public void StepOverhead_FourZeroCostWorkers_RunChecksAgainstDirectAdamWAndBothLinesAreWellFormed()
    {
        var ctx = Context();
        var size = new StepOverheadSize(Workers: 4, CheckSteps: 2);

        var step = ClusterBenches.StepOverhead(ctx, size, "step-overhead");
        var journal = ClusterBenches.StepOverheadJournal(ctx, size, "step-overhead");

        Assert.False(step.Failed, step.Error);
        Assert.False(journal.Failed, journal.Error);
        Assert.True(step.FormatLine().IsContractLine(), step.FormatLine());
        Assert.True(journal.FormatLine().IsContractLine(), journal.FormatLine());
        Assert.Equal("step-overhead-journal", journal.Name);
        Assert.Equal(step.Runs, journal.Runs);
        Assert.Equal(journal.MedianSeconds / step.MedianSeconds, journal.Ratio!.Value, 9);
    }

    [Fact]
    public void StepOverhead_SameContext_MeasuredOnceAndShared()
    {
        var ctx = Context(warmup: 0);
        var size = new StepOverheadSize(Workers: 2, Batch: 2, CheckSteps: 1);

        var first = ClusterBenches.StepOverhead(ctx, size, "steps");

        Assert.False(first.Failed, first.Error);
        Assert.Same(first, ClusterBenches.StepOverhead(ctx, size, "steps"));
        Assert.Equal("steps-journal", ClusterBenches.StepOverheadJournal(ctx, size, "steps").Name);
    }

    [Fact]
    public void StepOverhead_BatchSmallerThanWorkers_ThrowsWithHint()
    {
        var e = Assert.Throws<ArgumentException>(() => ClusterBenches.StepOverhead(Context(), new StepOverheadSize(Workers: 4, Batch: 2), "step-overhead"));
        Assert.Contains("Batch >= Workers", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferenceWeights_MoreSteps_WeightsKeepChanging()
    {
        // The check compares the cluster's weights with this reference; it must depend on the step count to catch a lost step.
        var size = new StepOverheadSize(Workers: 4);

        var one = ZeroCostCluster.ReferenceWeights(size, 1);
        var two = ZeroCostCluster.ReferenceWeights(size, 2);

        Assert.NotEqual(one, two);
    }

    [Fact]
    public void Default_ClusterBenchmarksRegistered()
    {
        foreach (var name in new[] { "exchange-n2", "exchange-n4", "step-overhead", "step-overhead-journal" })
            Assert.Contains(name, BenchCatalog.Default.Names);
    }
}
