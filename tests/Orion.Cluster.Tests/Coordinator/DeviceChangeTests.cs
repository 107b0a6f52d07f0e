// An OS update under a running worker (architecture.md, Engine: the program cache keys on chip + OS build): cached
// programs are invalidated and recompiled, the change is journaled, and the weights come out bit-identical.
using Orion.Actors.Journal;
using Orion.TestKit.Cluster;
using Xunit;

namespace Orion.Cluster.Tests.Coordinator;

public sealed class DeviceChangeTests
{
    [Fact]
    public async Task DeviceChanged_OsUpdateBetweenSteps_JournaledCacheInvalidatedSameWeights()
    {
        var reference = await ReferenceRuns.HashAsync(2);
        await using var h = await ClusterHarness.CreateAsync(new ClusterHarnessOptions());
        h.AtStep(2, () => h.Worker("worker-0").Device.ReportOsBuild("fake-os-2"));
        h.Start();
        await h.WaitForCompletionAsync();
        var changed = Assert.Single((await h.ReadEventsAsync()).OfType<DeviceChanged>());
        Assert.Equal("worker-0", changed.Worker);
        Assert.Contains("fake-os-1", changed.Old, StringComparison.Ordinal);
        Assert.Contains("fake-os-2", changed.New, StringComparison.Ordinal);
        var worker = h.Worker("worker-0");
        Assert.True(worker.Cache.Invalidations > 0, "the program cache invalidated nothing after the OS build changed");
        var status = h.Status.Current.Workers.Single(w => w.Name == "worker-0");
        Assert.Equal(worker.Cache.Invalidations, status.Stats.CacheInvalidations);
        Assert.Contains("fake-os-2", status.Stats.Device, StringComparison.Ordinal);
        Assert.Equal(0, h.Worker("worker-1").Cache.Invalidations);
        Assert.Equal(reference, h.FinalWeightsHash());
    }
}
