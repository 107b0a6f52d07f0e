// The worker actor alone, with a TestProbe as its coordinator and a FakeAneDevice (Akka.TestKit): it prepares and
// answers shards, reports failed compiles and evaluations, NaN outputs, slowness and an OS update (programs
// invalidated, recompiled, reported), and does its device work on a thread of its own, so
// devices that hang for as long as they like never take a thread from the actors that keep the cluster alive.
using Akka.Actor;
using Orion.Actors.Hosting;
using Orion.Actors.Protocol;
using Orion.Engine.Ane;
using Orion.Engine.Data;
using Orion.Engine.Model;
using Orion.TestKit.Cluster;
using Orion.TestKit.Devices;
using Orion.Worker;
using Xunit;

namespace Orion.Cluster.Tests.Worker;

public sealed class WorkerActorTests() : Akka.TestKit.Xunit2.TestKit(OrionAkka.Base)
{
    private const string RunId = "worker-test";
    private static readonly ModelConfig Config = ModelConfig.Preset("gpt2-tiny");
    private readonly TempFolder _temp = new();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _temp.Dispose();
    }

    private (IActorRef Worker, FakeAneDevice Device, Akka.TestKit.TestProbe Coordinator) Spawn(string name, Action<FakeAneDevice>? setup = null)
    {
        var device = new FakeAneDevice();
        setup?.Invoke(device);
        var coordinator = CreateTestProbe();
        var options = new WorkerOptions { Name = name, OpenDevice = () => device, Cache = new ProgramCache(_temp.At("cache-" + name)) };
        return (Sys.ActorOf(WorkerActor.Props(options, coordinator.Ref), name), device, coordinator);
    }

    private static PrepareRun Prepare() =>
        new(RunId, Config, 32, 0, ModelParameters.Zeros(ParameterLayout.For(Config)).Data);

    private static ComputeShard Shard(long step = 1)
    {
        var tokens = Enumerable.Range(0, 33).Select(i => (ushort)(i * 7 % Config.VocabSize)).ToArray();
        var batch = new Batch(tokens[..32].Select(t => (int)t).ToArray(), tokens[1..].Select(t => (int)t).ToArray(), 1, 32);
        return new ComputeShard(RunId, step, 10 + step, 0, batch.BatchSize, batch.Seq, batch.Inputs, batch.Targets, 1f, WeightsStep: 0);
    }

    [Fact]
    public void Shard_AfterPrepare_GradientOfEveryParameterComputedOffTheThreadPool()
    {
        var (worker, device, coordinator) = Spawn("w0");
        worker.Tell(Prepare());
        var ready = coordinator.ExpectMsg<WorkerReady>(TimeSpan.FromSeconds(60));
        Assert.True(ready.Stats.Compiles > 0);
        worker.Tell(Shard());
        var computed = coordinator.ExpectMsg<ShardComputed>(TimeSpan.FromSeconds(60));
        Assert.Equal((RunId, 1L, 11L, 0), (computed.RunId, computed.Step, computed.RequestId, computed.Shard));
        Assert.Equal(ParameterLayout.For(Config).Count, computed.Gradients.Length);
        Assert.True(double.IsFinite(computed.Loss) && computed.Loss > 0, $"loss {computed.Loss}");
        Assert.False(device.EvaluatedOnThreadPool, "the device was evaluated on a thread-pool thread; device work must run on the device dispatcher's own thread");
    }

    [Fact]
    public void Shard_EvaluationFails_ShardFailedThenReadyAgainAfterPrepare()
    {
        var (worker, _, coordinator) = Spawn("w1", d => d.FailEvaluations(1));
        worker.Tell(Prepare());
        coordinator.ExpectMsg<WorkerReady>(TimeSpan.FromSeconds(60));
        worker.Tell(Shard());
        var failed = coordinator.ExpectMsg<ShardFailed>(TimeSpan.FromSeconds(60));
        Assert.Contains("evaluation failed (injected)", failed.Error, StringComparison.Ordinal);
        worker.Tell(Shard(2)); // its programs were dropped after the failure: not prepared
        Assert.Contains("has not been prepared", coordinator.ExpectMsg<ShardFailed>(TimeSpan.FromSeconds(60)).Error, StringComparison.Ordinal);
        worker.Tell(Prepare());
        coordinator.ExpectMsg<WorkerReady>(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Shard_NeedsWeightsTheWorkerNeverGot_RefusedNotComputed()
    {
        var (worker, device, coordinator) = Spawn("w3");
        worker.Tell(Prepare()); // the weights after step 0
        coordinator.ExpectMsg<WorkerReady>(TimeSpan.FromSeconds(60));
        int evaluations = device.Evaluations;
        worker.Tell(Shard(2) with { WeightsStep = 1 }); // the update to step 1's weights never arrived
        var failed = coordinator.ExpectMsg<ShardFailed>(TimeSpan.FromSeconds(60));
        Assert.Contains("needs those after step 1 (an update was lost)", failed.Error, StringComparison.Ordinal);
        Assert.Equal(evaluations, device.Evaluations);
    }

    [Fact]
    public void Prepare_CompileFails_WorkerFailedNamingTheModel()
    {
        var (worker, _, coordinator) = Spawn("w2", d => d.FailCompiles(1));
        worker.Tell(Prepare());
        var failed = coordinator.ExpectMsg<WorkerFailed>(TimeSpan.FromSeconds(60));
        Assert.Contains("could not prepare gpt2-tiny", failed.Error, StringComparison.Ordinal);
        Assert.Contains("compile failed (injected)", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shard_DevicesHangLongerThanAnyTimeout_OtherActorsStillAnswer()
    {
        // More hanging workers than the machine has cores: on a shared pool they would hold every thread it has.
        int n = Environment.ProcessorCount * 2 + 2;
        var workers = Enumerable.Range(0, n).Select(i => Spawn($"hang-{i}", d => d.HangEvaluations(1))).ToList();
        foreach (var (worker, _, coordinator) in workers)
        {
            worker.Tell(Prepare());
            coordinator.ExpectMsg<WorkerReady>(TimeSpan.FromSeconds(120));
            worker.Tell(Shard());
        }
        foreach (var (_, device, _) in workers)
            Assert.True(device.Hanging.Wait(TimeSpan.FromSeconds(60)), "a device never started its hanging evaluation");
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()), "echo");
        Assert.Equal("ping", await echo.Ask<string>("ping", TimeSpan.FromSeconds(30)));
        foreach (var (_, device, coordinator) in workers)
        {
            Assert.False(device.EvaluatedOnThreadPool);
            device.ReleaseHangs();
            coordinator.ExpectMsg<ShardFailed>(TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public void Shard_DeviceOutputsNaN_ReportedAsComputedForTheCoordinatorToSkip()
    {
        // The worker does not judge the numbers: the coordinator's loss scaler sees the overflow and skips the step.
        var (worker, _, coordinator) = Spawn("nan", d => d.CorruptOutputs(1000));
        worker.Tell(Prepare());
        coordinator.ExpectMsg<WorkerReady>(TimeSpan.FromSeconds(60));
        worker.Tell(Shard());
        var computed = coordinator.ExpectMsg<ShardComputed>(TimeSpan.FromSeconds(60));
        Assert.True(!double.IsFinite(computed.Loss) || computed.Gradients.Any(g => !float.IsFinite(g)), "NaN outputs left no trace in the loss or the gradients");
        worker.Tell(Shard(2)); // still prepared: a NaN is a result, not a device failure
        coordinator.ExpectMsg<ShardComputed>(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Shard_SlowDevice_AnswersEveryShardInOrder()
    {
        var (worker, device, coordinator) = Spawn("slow", d => d.BeSlow(TimeSpan.FromMilliseconds(20)));
        worker.Tell(Prepare());
        coordinator.ExpectMsg<WorkerReady>(TimeSpan.FromSeconds(120));
        worker.Tell(Shard(1));
        worker.Tell(Shard(2));
        Assert.Equal(1, coordinator.ExpectMsg<ShardComputed>(TimeSpan.FromSeconds(120)).Step);
        Assert.Equal(2, coordinator.ExpectMsg<ShardComputed>(TimeSpan.FromSeconds(120)).Step);
        Assert.False(device.EvaluatedOnThreadPool);
    }

    [Fact]
    public void Shard_OsUpdateBetweenShards_ProgramsInvalidatedRecompiledAndReported()
    {
        var (worker, device, coordinator) = Spawn("os");
        worker.Tell(Prepare());
        var ready = coordinator.ExpectMsg<WorkerReady>(TimeSpan.FromSeconds(60));
        worker.Tell(Shard(1));
        var first = coordinator.ExpectMsg<ShardComputed>(TimeSpan.FromSeconds(60));
        device.ReportOsBuild("fake-os-2");
        worker.Tell(Shard(2));
        var changed = coordinator.ExpectMsg<DeviceFingerprintChanged>(TimeSpan.FromSeconds(60));
        Assert.Equal(("fake-os-1", "fake-os-2"), (changed.Old.OsBuild, changed.New.OsBuild));
        Assert.True(changed.Invalidated > 0, "no cached program was invalidated by the OS update");
        var second = coordinator.ExpectMsg<ShardComputed>(TimeSpan.FromSeconds(60));
        Assert.True(second.Stats.Compiles > ready.Stats.Compiles, "the programs were not recompiled for the new OS build");
        Assert.Equal(first.Gradients, second.Gradients); // same weights, same shard data: the same bits after recompiling
    }

    private sealed class EchoActor : ReceiveActor
    {
        public EchoActor() => ReceiveAny(m => Sender.Tell(m));
    }
}
