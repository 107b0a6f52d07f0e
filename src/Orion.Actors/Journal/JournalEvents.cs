// Reads a run's events back from its journal, for checks and tests: a throw-away actor system whose one persistent
// actor recovers the run's persistence id without its snapshot (every event from #1) and hands the events over.
using Akka.Actor;
using Akka.Persistence;
using Orion.Actors.Hosting;

namespace Orion.Actors.Journal;

public static class JournalEvents
{
    /// <summary>Every event of <paramref name="persistenceId"/>, in order; throws what recovery failed with.</summary>
    public static async Task<IReadOnlyList<RunEvent>> ReadAsync(JournalSpec journal, string persistenceId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(journal);
        await journal.PrepareAsync(persistenceId, ct).ConfigureAwait(false);
        var system = OrionAkka.Create("journal-reader", journal);
        try
        {
            var done = new TaskCompletionSource<IReadOnlyList<RunEvent>>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new Reader(persistenceId, done)), "reader");
            return await done.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
            system.Dispose();
        }
    }

    private sealed class Reader(string persistenceId, TaskCompletionSource<IReadOnlyList<RunEvent>> done) : UntypedPersistentActor
    {
        private readonly List<RunEvent> _events = [];

        public override string PersistenceId => persistenceId;

        public override Recovery Recovery => new(SnapshotSelectionCriteria.None);

        protected override void OnRecover(object message)
        {
            if (message is RunEvent e) _events.Add(e);
            else if (message is RecoveryCompleted)
            {
                done.TrySetResult(_events);
                Context.Stop(Self);
            }
        }

        protected override void OnCommand(object message) => Unhandled(message);

        protected override void OnRecoveryFailure(Exception reason, object? message = null)
        {
            done.TrySetException(reason);
            base.OnRecoveryFailure(reason, message);
        }
    }
}
