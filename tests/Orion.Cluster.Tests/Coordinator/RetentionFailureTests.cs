// Journal retention is best effort (docs/design.md, Journal and recovery): a journal or snapshot store that fails to
// delete is noted, the deletion is asked again after the next checkpoint, and the run trains on to its end. A probe
// plays the one worker, so each step waits until the test has seen the notes.
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Snapshot;
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

public sealed class RetentionFailureTests : Akka.TestKit.Xunit2.TestKit
{
    private const string RunId = "retention-failure";
    private const string Injected = "the disk is full (injected)";

    /// <summary>An in-memory journal whose deletes fail.</summary>
    public sealed class FailingDeletesJournal : MemoryJournal
    {
        protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken) => Task.FromException(new IOException(Injected));
    }

    /// <summary>An in-memory snapshot store whose deletes fail.</summary>
    public sealed class FailingDeletesSnapshotStore : MemorySnapshotStore
    {
        protected override Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken) => Task.FromException(new IOException(Injected));
    }

    private static readonly Config FailingDeletes = ConfigurationFactory.ParseString($$"""
        akka.persistence {
          journal {
            plugin = "akka.persistence.journal.failing-deletes"
            failing-deletes {
              class = "{{typeof(FailingDeletesJournal).AssemblyQualifiedName}}"
              plugin-dispatcher = "akka.actor.default-dispatcher"
            }
          }
          snapshot-store {
            plugin = "akka.persistence.snapshot-store.failing-deletes"
            failing-deletes {
              class = "{{typeof(FailingDeletesSnapshotStore).AssemblyQualifiedName}}"
              plugin-dispatcher = "akka.actor.default-dispatcher"
            }
          }
        }
        """).WithFallback(OrionAkka.Base);

    private readonly TempFolder _temp = new();

    public RetentionFailureTests() : base(FailingDeletes) { }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _temp.Dispose();
    }

    [Fact]
    public async Task Retention_DeletesFail_NotedRetriedAfterTheNextCheckpointRunCompletes()
    {
        var notes = new SignalLog<string>();
        var outcome = new TaskCompletionSource<TrainingState>(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = new CoordinatorSettings
        {
            RunDir = _temp.At("run"),
            RunId = RunId,
            Request = new TrainingRequest { Model = "gpt2-tiny", Steps = 3, Batch = 2, Seq = 32, CheckpointEvery = 1 },
            Journal = JournalSpec.Parse("sqlite:" + _temp.At("described-only.db")), // the actor system's in-memory journal is what persists
            Shards = 1,
            Encoder = _ => ByteTokenizer.Instance.Encode,
            Note = notes.Add,
        };
        Assert.True(settings.JournalRetention, "retention is meant to be on unless a host turns it off");
        var coordinator = Sys.ActorOf(RunGuardian.Props(settings, outcome), "run");
        var worker = CreateTestProbe();
        coordinator.Tell(new WorkerJoined("probe", worker.Ref, "test"));
        int parameters = worker.ExpectMsg<PrepareRun>().Weights.Length;
        coordinator.Tell(new WorkerReady(RunId, "probe", 0, WorkerStats.None));

        for (long step = 1; step <= 3; step++)
        {
            var shard = worker.ExpectMsg<ComputeShard>();
            Assert.Equal(step, shard.Step);
            if (step >= 2)
            {
                // After checkpoint 1, and again after checkpoint 2 (the first attempt failed): the same boundary each time.
                int round = (int)step - 1, eventFailures = 0, snapshotFailures = 0; // counts this round's wait from the first note on
                await notes.FirstAsync(n => n.StartsWith($"journal retention: deleting the events of run {RunId} up to the snapshot of checkpoints/step-000001 (the oldest checkpoint kept) failed ({Injected}); they stay", StringComparison.Ordinal) && ++eventFailures == round)
                    .WaitAsync(TestTimeouts.Default);
                await notes.FirstAsync(n => n.StartsWith($"journal retention: deleting the snapshots of run {RunId} older than the snapshot of checkpoints/step-000001 (the oldest checkpoint kept) failed ({Injected})", StringComparison.Ordinal) && ++snapshotFailures == round)
                    .WaitAsync(TestTimeouts.Default);
            }
            coordinator.Tell(new ShardComputed(RunId, "probe", step, shard.RequestId, shard.Shard, 2.5, new float[parameters], WorkerStats.None));
            Assert.Equal(step, worker.ExpectMsg<UpdateWeights>().Step);
        }

        var state = await outcome.Task.WaitAsync(TestTimeouts.Default);
        Assert.Equal(3, state.Step);
        worker.ExpectMsg<EndRun>();
    }
}
