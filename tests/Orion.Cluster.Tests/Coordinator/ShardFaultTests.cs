// Degraded paths of a step (architecture.md, Cluster; style.md "no silent fallbacks"): failed evaluations and compiles
// are retried, a NaN output skips the step and halves the loss scale — each journaled or counted; the run completes.
using Orion.Actors.Journal;
using Orion.TestKit.Cluster;
using Orion.Actors.Protocol;
using Xunit;

namespace Orion.Cluster.Tests.Coordinator;

public sealed class ShardFaultTests
{
    [Fact]
    public async Task ShardFailed_EvaluationFailsOnOneOfTwoWorkers_RetriedElsewhereSameWeights()
    {
        var reference = await ReferenceRuns.HashAsync(2);
        await using var h = await ClusterHarness.StartAsync(new ClusterHarnessOptions
        {
            SetupDevice = (name, device) => { if (name == "worker-1") device.FailEvaluations(1); },
        });
        await h.WaitForCompletionAsync();
        var failed = await h.WaitForReplyAsync<ShardFailed>();
        Assert.Equal(("worker-1", 1L, 1), (failed.Worker, failed.Step, failed.Shard));
        Assert.Contains("evaluation failed (injected)", failed.Error, StringComparison.Ordinal);
        var first = (await h.ReadEventsAsync()).OfType<StepCommitted>().First();
        Assert.Equal(["worker-0"], first.Workers); // worker-1 was re-preparing, so worker-0 computed its shard
        Assert.True(h.Status.Current.DegradedEvents > 0, "the failed shard was not counted as a degraded event");
        Assert.Equal(reference, h.FinalWeightsHash());
    }

    [Fact]
    public async Task ShardFailed_OnlyWorkerEvaluationFails_RetriedAfterReprepareSameWeights()
    {
        var reference = await ReferenceRuns.HashAsync(2);
        await using var h = await ClusterHarness.StartAsync(new ClusterHarnessOptions
        {
            Workers = 1,
            SetupDevice = (_, device) => device.FailEvaluations(1),
        });
        await h.WaitForCompletionAsync();
        await h.WaitForReplyAsync<ShardFailed>(f => f.Step == 1);
        // Prepared once at the start and again after the failure (at least: both queued shards may fail).
        Assert.True(h.Replies.Items.OfType<WorkerReady>().Count() >= 2, "the worker was not prepared again after the failed shard");
        Assert.Equal(reference, h.FinalWeightsHash());
    }

    [Fact]
    public async Task WorkerFailed_CompileFailsOnPrepare_WorkerPreparedAgainRunCompletes()
    {
        var reference = await ReferenceRuns.HashAsync(2);
        await using var h = await ClusterHarness.StartAsync(new ClusterHarnessOptions
        {
            SetupDevice = (name, device) => { if (name == "worker-1") device.FailCompiles(1); },
        });
        await h.WaitForCompletionAsync();
        var failed = await h.WaitForReplyAsync<WorkerFailed>();
        Assert.Equal("worker-1", failed.Worker);
        Assert.Contains("compile failed (injected)", failed.Error, StringComparison.Ordinal);
        await h.WaitForReplyAsync<WorkerReady>(r => r.Worker == "worker-1");
        Assert.Equal(6, h.Status.Current.Workers.Single(w => w.Name == "worker-1").ShardsComputed);
        Assert.Equal(reference, h.FinalWeightsHash());
    }

    [Fact]
    public async Task Commit_CorruptNaNOutput_StepJournaledSkippedAndLossScaleHalved()
    {
        await using var h = await ClusterHarness.CreateAsync(new ClusterHarnessOptions());
        h.AtStep(2, () => h.Worker("worker-0").Device.CorruptOutputs(1)); // its next evaluation: step 3, shard 0
        h.Start();
        var state = await h.WaitForCompletionAsync();
        var commits = (await h.ReadEventsAsync()).OfType<StepCommitted>().ToDictionary(c => c.Step);
        Assert.Equal([3L], commits.Values.Where(c => c.Skipped).Select(c => c.Step));
        Assert.True(float.IsNaN(BitConverter.Int32BitsToSingle(commits[3].LossBits)), "the skipped step's journaled loss is not NaN");
        Assert.Equal(commits[3].LossScale / 2, commits[4].LossScale);
        Assert.Equal(commits[2].LossScale, commits[3].LossScale);
        Assert.Equal(6, state.Step);
        Assert.Equal(5, state.Updates); // the skipped step consumed its batch but applied no update
        Assert.Equal(commits[4].LossScale, state.Scaler.Scale);
    }
}
