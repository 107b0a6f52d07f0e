// The compile budget (R05: the ANE fails silently after ~119 compiles per process): a worker whose device runs out
// mid-prepare recycles it (a fresh device, a fresh budget) and goes on with the programs already in its cache.
using Orion.TestKit.Cluster;
using Orion.Actors.Protocol;
using Xunit;

namespace Orion.Cluster.Tests.Worker;

public sealed class CompileBudgetTests
{
    // gpt2-tiny compiles 4 distinct programs (its 2 layers share MIL text; the cache serves layer 1 from layer 0's).
    [Theory]
    [InlineData(3)] // one recycle finishes the job
    [InlineData(1)] // one program per device: a recycle after every compile, all inside one prepare
    public async Task Prepare_BudgetSmallerThanTheModelsPrograms_DeviceRecycledRunCompletesSameWeights(int budget)
    {
        var reference = await Coordinator.ReferenceRuns.HashAsync(2);
        await using var h = await ClusterHarness.StartAsync(new ClusterHarnessOptions
        {
            CompileBudget = name => name == "worker-1" ? budget : null,
        });
        await h.WaitForCompletionAsync();
        var worker = h.Worker("worker-1");
        var status = h.Status.Current.Workers.Single(w => w.Name == "worker-1");
        Assert.Equal(4, status.Stats.Compiles); // every program compiled once: after a recycle the cache serves what was built
        Assert.Equal((4 + budget - 1) / budget - 1, status.Stats.Recycles);
        Assert.Equal(status.Stats.Recycles + 1, worker.Devices.Count);
        Assert.DoesNotContain(h.Replies.Items, m => m is WorkerFailed); // the worker copes by itself: no failed prepare
        Assert.Equal(6, status.ShardsComputed);
        Assert.Equal(reference, h.FinalWeightsHash());
    }
}
