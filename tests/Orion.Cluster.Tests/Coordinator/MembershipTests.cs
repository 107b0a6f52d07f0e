// Membership (architecture.md, Cluster): a worker that stops answering is dismissed after the coordinator's shard
// timeout, a worker whose actor stops leaves, a new worker joins mid-run — and none of it changes a bit of the weights.
using Orion.Actors.Journal;
using Orion.TestKit.Cluster;
using Orion.Actors.Protocol;
using Xunit;

namespace Orion.Cluster.Tests.Coordinator;

public sealed class MembershipTests
{
    [Fact]
    public async Task ShardDeadline_WorkerDeviceHangs_WorkerDismissedShardReassignedSameWeights()
    {
        var reference = await ReferenceRuns.HashAsync(2);
        await using var h = await ClusterHarness.StartAsync(new ClusterHarnessOptions
        {
            ShardTimeout = TimeSpan.FromSeconds(3), // the coordinator's timeout under test, not a test wait
            SetupDevice = (name, device) => { if (name == "worker-1") device.HangEvaluations(1); },
        });
        await h.WaitForCompletionAsync();
        Assert.True(h.Worker("worker-1").Device.Hanging.IsSet, "worker-1's device never hung; the test did not test a lost worker");
        var events = await h.ReadEventsAsync();
        var left = Assert.Single(events.OfType<MembershipChanged>(), m => !m.Joined);
        Assert.Equal("worker-1", left.Worker);
        Assert.Contains("no answer within", left.Detail, StringComparison.Ordinal);
        Assert.All(events.OfType<StepCommitted>(), c => Assert.Equal(["worker-0"], c.Workers));
        Assert.Equal(reference, h.FinalWeightsHash());
    }

    [Fact]
    public async Task WorkerLeft_ActorStoppedMidRun_ShardsReassignedSameWeights()
    {
        var reference = await ReferenceRuns.HashAsync(2);
        await using var h = await ClusterHarness.CreateAsync(new ClusterHarnessOptions());
        // Between steps 2 and 3: step 3's shard 1 still goes to worker-1 (the coordinator learns it left only after).
        h.AtStep(2, () => _ = h.StopWorker("worker-1"));
        h.Start();
        await h.WaitForCompletionAsync();
        var events = await h.ReadEventsAsync();
        var left = Assert.Single(events.OfType<MembershipChanged>(), m => !m.Joined);
        Assert.Equal(("worker-1", "its actor stopped"), (left.Worker, left.Detail));
        var commits = events.OfType<StepCommitted>().ToArray();
        Assert.All(commits[..2], c => Assert.Equal(["worker-0", "worker-1"], c.Workers));
        Assert.All(commits[2..], c => Assert.Equal(["worker-0"], c.Workers));
        Assert.Equal(reference, h.FinalWeightsHash());
    }

    [Fact]
    public async Task WorkerJoined_MidRun_GetsWeightsComputesShardsSameWeights()
    {
        var reference = await ReferenceRuns.HashAsync(2);
        await using var h = await ClusterHarness.CreateAsync(new ClusterHarnessOptions { Workers = 1, Shards = 2 });
        h.AtStep(1, () => h.AddWorker()); // prepared with the weights after step 1, patched to step 2's
        // Hold step 2's commit until worker-1 is ready, so it surely takes part from step 4 on (step 3 may be announced
        // before or after the coordinator hears it is ready).
        h.AtStep(2, () => h.WaitForReplyAsync<WorkerReady>(r => r.Worker == "worker-1").GetAwaiter().GetResult());
        h.Start();
        await h.WaitForCompletionAsync();
        var ready = await h.WaitForReplyAsync<WorkerReady>(r => r.Worker == "worker-1");
        Assert.Equal(1, ready.Step);
        var commits = (await h.ReadEventsAsync()).OfType<StepCommitted>().ToArray();
        Assert.All(commits[..2], c => Assert.Equal(["worker-0"], c.Workers));
        Assert.All(commits[3..], c => Assert.Equal(["worker-0", "worker-1"], c.Workers));
        var joined = h.Status.Current.Workers.Single(w => w.Name == "worker-1");
        Assert.Equal(commits.Count(c => c.Workers.Contains("worker-1")), joined.ShardsComputed);
        Assert.True(joined.Stats.Compiles > 0, $"worker-1 reports {joined.Stats.Compiles} compiles; expected it to have compiled the model");
        Assert.Equal(reference, h.FinalWeightsHash());
    }
}
