// `orion worker`'s node loop in process, against a real fleet coordinator (Akka.Cluster on 127.0.0.1, the data plane,
// the persistent coordinator as a singleton): a worker the coordinator dismisses (its device failed to prepare the
// model on every attempt) leaves, starts a new incarnation with a fresh device, is taken back, and the run completes.
using System.Net;
using Orion.Actors.Hosting;
using Orion.Actors.Journal;
using Orion.Coordinator;
using Orion.Coordinator.Fleet;
using Orion.Coordinator.Hosting;
using Orion.Engine.Ane;
using Orion.Engine.Data;
using Orion.Engine.Model.Training;
using Orion.TestKit.Cluster;
using Orion.TestKit.Devices;
using Orion.Worker;
using Orion.Worker.Remote;
using Xunit;

namespace Orion.Cluster.Tests.Worker;

public sealed class WorkerNodeTests : IDisposable
{
    private static readonly TimeSpan Wait = TestTimeouts.Dilated(TimeSpan.FromMinutes(3));
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Dismissed_AfterRepeatedFailures_RejoinsAsANewIncarnationWithAFreshDevice_RunCompletes()
    {
        var notes = new SignalLog<string>();
        var settings = new CoordinatorSettings
        {
            RunDir = _temp.At("run"),
            RunId = "run",
            Request = new TrainingRequest { Model = "gpt2-tiny", Steps = 2, Batch = 1, Seq = 32, CheckpointEvery = 0 },
            Journal = JournalSpec.Parse(JournalSpec.SqlitePrefix + _temp.At("journal.db")),
            Shards = 1,
            MinWorkers = 1,
            MaxShardAttempts = 2,
            Encoder = _ => ByteTokenizer.Instance.Encode,
            Note = notes.Add,
        };
        var node = new ClusterNodeOptions { Role = ClusterNodeOptions.CoordinatorRole, Host = "127.0.0.1", Seeds = [] };
        var fleet = new TaskCompletionSource<FleetHost>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource(Wait);
        var run = ClusterHost.RunAsync(settings, (system, coordinator) =>
        {
            var host = FleetHost.StartAsync(system, coordinator, new IPEndPoint(IPAddress.Loopback, 0), null, settings.RunId, notes.Add).GetAwaiter().GetResult();
            fleet.SetResult(host);
            return host;
        }, journal => ClusterNode.Create(node, journal), singleton: true, stop.Token);
        var address = await fleet.Task.WaitAsync(Wait);

        // The first device fails every compile (so every prepare), the next ones are healthy.
        var devices = new List<FakeAneDevice>();
        IAneDevice Open()
        {
            var device = new FakeAneDevice();
            lock (devices)
            {
                if (devices.Count == 0) device.FailCompiles(int.MaxValue);
                devices.Add(device);
            }
            return device;
        }
        var log = new SignalLog<string>();
        var worker = WorkerNode.RunAsync(new WorkerNodeOptions
        {
            Coordinator = address.Address,
            Host = "127.0.0.1",
            Worker = new WorkerOptions { Name = "w", OpenDevice = Open, Cache = new ProgramCache(_temp.At("cache")) },
            Log = log.Add,
        }, stop.Token);

        var state = await run.WaitAsync(Wait);
        await worker.WaitAsync(Wait);
        Assert.Equal(2, state.Step);
        Assert.Contains(notes.Items, n => n.Contains("worker w left: failed 2 times", StringComparison.Ordinal));
        Assert.Contains(log.Items, l => l.Contains("rejoining as a new incarnation with a fresh device", StringComparison.Ordinal));
        Assert.Contains(log.Items, l => l.Contains("(incarnation 2)", StringComparison.Ordinal));
        Assert.Contains(log.Items, l => l.Contains("the coordinator ended the run: the run is complete", StringComparison.Ordinal));
        lock (devices) Assert.True(devices.Count >= 2, "the new incarnation did not open a fresh device");
    }
}
