// Persist before acting (architecture.md, Cluster), on Akka.Persistence.TestKit's TestJournal: when the write of a
// StepCommitted fails, the coordinator stops without sending the new weights or announcing the next step, and the
// run's outcome names the event; on a checkpoint step the same holds for CheckpointSaved, and no snapshot refers to
// the unjournaled checkpoint; a journal that cannot be recovered fails the run the same way.
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Orion.Actors.Hosting;
using Orion.Actors.Journal;
using Orion.Actors.Protocol;
using Orion.Coordinator;
using Orion.Coordinator.Hosting;
using Orion.Engine.Data;
using Orion.Engine.Model.Training;
using Orion.TestKit.Cluster;
using Xunit;

namespace Orion.Cluster.Tests.Coordinator;

public sealed class PersistBeforeActingTests : Akka.TestKit.Xunit2.TestKit
{
    private const string RunId = "persist-test";

    private static readonly Config TestJournalConfig = TestJournals.Config;

    private readonly TempFolder _temp = new();

    public PersistBeforeActingTests() : base(TestJournalConfig) { }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _temp.Dispose();
    }

    private ITestJournal Journal => TestJournal.FromRef(Persistence.Instance.Apply(Sys).JournalFor(null));

    private ITestSnapshotStore Snapshots => TestSnapshotStore.FromRef(Persistence.Instance.Apply(Sys).SnapshotStoreFor(null));

    private (IActorRef Coordinator, TaskCompletionSource<TrainingState> Outcome) StartRun(string name = "run", int checkpointEvery = 0)
    {
        var outcome = new TaskCompletionSource<TrainingState>(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = new CoordinatorSettings
        {
            RunDir = _temp.At("run"),
            RunId = RunId,
            Request = new TrainingRequest { Model = "gpt2-tiny", Steps = 3, Batch = 2, Seq = 32, CheckpointEvery = checkpointEvery },
            Journal = JournalSpec.Parse("sqlite:" + _temp.At("described-only.db")), // the actor system's TestJournal is what persists
            Shards = 1,
            Encoder = _ => ByteTokenizer.Instance.Encode,
        };
        var coordinator = Sys.ActorOf(RunGuardian.Props(settings, outcome), name);
        Watch(coordinator);
        return (coordinator, outcome);
    }

    [Fact]
    public async Task Commit_StepCommittedWriteFails_NoWeightsNoNextStepRunFailsNamingTheEvent()
    {
        var (coordinator, outcome) = StartRun();
        var worker = CreateTestProbe();
        coordinator.Tell(new WorkerJoined("probe", worker.Ref, "test"));
        var prepare = worker.ExpectMsg<PrepareRun>();
        coordinator.Tell(new WorkerReady(RunId, "probe", 0, WorkerStats.None));
        var shard = worker.ExpectMsg<ComputeShard>();
        Assert.Equal(1, shard.Step);

        await Journal.OnWrite.Fail();
        coordinator.Tell(new ShardComputed(RunId, "probe", 1, shard.RequestId, shard.Shard, 2.5, new float[prepare.Weights.Length], WorkerStats.None));

        ExpectTerminated(coordinator);
        var error = await Assert.ThrowsAsync<JournalException>(() => outcome.Task);
        Assert.Contains("(StepCommitted)", error.Message, StringComparison.Ordinal);
        Assert.Contains("stopped without acting on it", error.Message, StringComparison.Ordinal);
        // The coordinator has stopped, so anything it sent is already in the probe's mailbox: nothing after the shard.
        worker.ExpectNoMsg(TimeSpan.Zero);
        Assert.Equal("", File.ReadAllText(Path.Combine(_temp.At("run"), StepsLog.FileName)));
    }

    [Fact]
    public async Task Checkpoint_CheckpointSavedWriteFails_NoSnapshotNoWeightsNoNextStep()
    {
        var saves = new SaveRecorder();
        await Snapshots.OnSave.SetInterceptorAsync(saves);
        var (coordinator, outcome) = StartRun(checkpointEvery: 1);
        var worker = CreateTestProbe();
        coordinator.Tell(new WorkerJoined("probe", worker.Ref, "test"));
        var prepare = worker.ExpectMsg<PrepareRun>();
        coordinator.Tell(new WorkerReady(RunId, "probe", 0, WorkerStats.None));
        var first = worker.ExpectMsg<ComputeShard>();
        coordinator.Tell(new ShardComputed(RunId, "probe", 1, first.RequestId, first.Shard, 2.5, new float[prepare.Weights.Length], WorkerStats.None));
        Assert.Equal(1, worker.ExpectMsg<UpdateWeights>().Step);
        var second = worker.ExpectMsg<ComputeShard>();
        await saves.First.WaitAsync(TestTimeouts.Default); // step 1's snapshot: the recorder sees saves

        await Journal.OnWrite.FailOnType<CheckpointSaved>();
        coordinator.Tell(new ShardComputed(RunId, "probe", 2, second.RequestId, second.Shard, 2.25, new float[prepare.Weights.Length], WorkerStats.None));

        ExpectTerminated(coordinator);
        var error = await Assert.ThrowsAsync<JournalException>(() => outcome.Task);
        Assert.Contains("(CheckpointSaved)", error.Message, StringComparison.Ordinal);
        worker.ExpectNoMsg(TimeSpan.Zero); // no weights of step 2, no step 3
        Assert.Equal(1, saves.Count); // no snapshot refers to the step-2 checkpoint the journal does not know
    }

    /// <summary>Counts the snapshot store's save attempts (and lets them through).</summary>
    private sealed class SaveRecorder : ISnapshotStoreInterceptor
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task First => _first.Task;

        public Task InterceptAsync(string persistenceId, SnapshotSelectionCriteria criteria)
        {
            Interlocked.Increment(ref _count);
            _first.TrySetResult();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Start_RunStartedWriteFails_NoWorkerIsPrepared()
    {
        await Journal.OnWrite.Fail();
        var (coordinator, outcome) = StartRun();
        var worker = CreateTestProbe();
        coordinator.Tell(new WorkerJoined("probe", worker.Ref, "test"));
        ExpectTerminated(coordinator);
        var error = await Assert.ThrowsAsync<JournalException>(() => outcome.Task);
        Assert.Contains("(RunStarted)", error.Message, StringComparison.Ordinal);
        worker.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public async Task Recovery_JournalFailsToReplay_RunFailsSayingSo()
    {
        var (first, _) = StartRun("first");
        var worker = CreateTestProbe();
        first.Tell(new WorkerJoined("probe", worker.Ref, "test"));
        worker.ExpectMsg<PrepareRun>(); // RunStarted and the join are journaled: a resume has events to replay
        Sys.Stop(first);
        ExpectTerminated(first);

        await Journal.OnRecovery.Fail();
        var (coordinator, outcome) = StartRun("resumed");
        ExpectTerminated(coordinator);
        var error = await Assert.ThrowsAsync<JournalException>(() => outcome.Task);
        Assert.Contains("could not be recovered", error.Message, StringComparison.Ordinal);
    }
}
