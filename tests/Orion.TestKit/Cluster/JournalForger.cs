// Writes events into a run's journal as if its coordinator had persisted them: how tests tamper with a journal
// (a forged StepCommitted whose loss the recomputation cannot reproduce). A persistent actor with the run's id
// recovers (so its next sequence number is the journal's), persists the events, and stops.
using Akka.Actor;
using Akka.Persistence;
using Orion.Actors.Hosting;
using Orion.Actors.Journal;

namespace Orion.TestKit.Cluster;

public static class JournalForger
{
    public static async Task AppendAsync(JournalSpec journal, string runId, params RunEvent[] events)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var system = OrionAkka.Create("journal-forger", journal);
        try
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new Writer(runId, events, done)), "writer");
            await done.Task.WaitAsync(TestTimeouts.Dilated(TimeSpan.FromSeconds(60))).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
            system.Dispose();
        }
    }

    private sealed class Writer(string runId, RunEvent[] events, TaskCompletionSource done) : UntypedPersistentActor
    {
        public override string PersistenceId => runId;

        protected override void OnRecover(object message)
        {
            if (message is not RecoveryCompleted) return;
            if (events.Length == 0)
            {
                done.TrySetResult();
                Context.Stop(Self);
                return;
            }
            PersistAll(events, e =>
            {
                if (!ReferenceEquals(e, events[^1])) return;
                done.TrySetResult();
                Context.Stop(Self);
            });
        }

        protected override void OnCommand(object message) => Unhandled(message);

        protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
        {
            done.TrySetException(cause);
            base.OnPersistFailure(cause, @event, sequenceNr);
        }

        protected override void OnRecoveryFailure(Exception reason, object? message = null)
        {
            done.TrySetException(reason);
            base.OnRecoveryFailure(reason, message);
        }
    }
}
