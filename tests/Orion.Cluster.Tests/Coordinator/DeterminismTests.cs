// Determinism across membership (architecture.md, Cluster): shards are fixed per run and summed in shard order, so
// the final weights depend on the shard count only — not on how many workers computed them, nor on the run.
using Orion.Actors.Journal;
using Orion.TestKit.Cluster;
using Xunit;

namespace Orion.Cluster.Tests.Coordinator;

public sealed class DeterminismTests
{
    [Fact]
    public async Task Run_TwoShardsOnTwoWorkersOrOne_SameFinalWeights()
    {
        var onTwo = await ReferenceRuns.HashAsync(2);
        await using var h = await ClusterHarness.StartAsync(new ClusterHarnessOptions { Workers = 1, Shards = 2 });
        var state = await h.WaitForCompletionAsync();
        Assert.Equal(6, state.Step);
        Assert.Equal(onTwo, h.FinalWeightsHash());
        var events = await h.ReadEventsAsync();
        Assert.Equal(onTwo, Assert.IsType<RunCompleted>(events[^1]).WeightsHash);
        Assert.All(events.OfType<StepCommitted>(), c => Assert.Equal(["worker-0"], c.Workers));
    }

    [Fact]
    public async Task Run_SameRunTwice_SameFinalWeightsAndLosses()
    {
        var first = await RunAsync();
        var second = await RunAsync();
        Assert.Equal(first.Hash, second.Hash);
        Assert.Equal(first.LossBits, second.LossBits);
        Assert.Equal(6, first.LossBits.Length);
        Assert.All(first.Workers, w => Assert.Equal(["worker-0", "worker-1"], w)); // both workers took part in every step

        static async Task<(string Hash, int[] LossBits, string[][] Workers)> RunAsync()
        {
            await using var h = await ClusterHarness.StartAsync(new ClusterHarnessOptions());
            await h.WaitForCompletionAsync();
            var commits = (await h.ReadEventsAsync()).OfType<StepCommitted>().ToArray();
            return (h.FinalWeightsHash(), commits.Select(c => c.LossBits).ToArray(), commits.Select(c => c.Workers).ToArray());
        }
    }

    [Fact]
    public async Task Run_Completes_JournalsStartCommitsCheckpointsAndCompletion()
    {
        await using var h = await ClusterHarness.StartAsync(new ClusterHarnessOptions());
        var state = await h.WaitForCompletionAsync();
        var events = await h.ReadEventsAsync();
        var started = Assert.IsType<RunStarted>(events[0]);
        Assert.Equal(("gpt2-tiny", 2, 4, 32), (started.Model, started.Shards, started.Options.Batch, started.Options.Seq));
        Assert.Equal([1L, 2, 3, 4, 5, 6], events.OfType<StepCommitted>().Select(c => c.Step));
        Assert.Equal([2L, 4, 6], events.OfType<CheckpointSaved>().Select(c => c.Step));
        Assert.Equal(2, events.OfType<MembershipChanged>().Count(m => m.Joined));
        var completed = Assert.IsType<RunCompleted>(events[^1]);
        Assert.Equal((6L, h.FinalWeightsHash()), (completed.Step, completed.WeightsHash));
        Assert.Equal(6, state.Step);
        Assert.Equal([1L, 2, 3, 4, 5, 6], h.Steps.Items.Select(s => s.Step));
    }
}
