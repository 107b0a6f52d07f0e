// The parent side of supervision: apply the failed child's strategy (restart after backoff, stop, escalate), then
// tell the parent's behaviour with a ChildFailed signal; and track children as they finish stopping.
// Reference: Akka.NET OneForOneStrategy.HandleFailure, BackoffSupervisor; Akka.Typed ChildFailed.
using System.Diagnostics;

namespace Orion.Actors;

internal sealed partial class ActorCell<T>
{
    private async Task HandleChildFailureAsync(ActorCell child, Exception error)
    {
        // A failure that arrives while this actor is itself failed, restarting or stopping needs no decision: every
        // outcome of those stops the child anyway.
        if (_state != CellState.Running || Children.Find(child) is not { } entry)
            return;

        var directive = Decide(entry, error);
        switch (directive)
        {
            case SupervisorDirective.Restart:
                entry.Restarts++;
                ScheduleRestart(child, entry.Strategy.BackoffFor(entry.Restarts));
                break;
            case SupervisorDirective.Stop:
                child.SendSystem(new StopActor(error));
                break;
            case SupervisorDirective.Escalate:
                Debug.Assert(!IsGuardian, "the guardian turns Escalate into Stop");
                break;
        }
        if (IsGuardian)
            return; // no behaviour to tell; hosts learn of top-level failures from ActorSystem.Failure

        var signal = new ChildFailed(child.SelfRef, error, directive);
        if (directive != SupervisorDirective.Escalate)
        {
            _pendingSignals.Enqueue(signal);
            return;
        }
        // Escalate: this instance hears about it now (it is about to be replaced or stopped), then fails itself
        // with the child's exception so the grandparent's strategy decides.
        var instance = _instance!;
        await InvokeAsync(() => instance.InvokeSignalAsync(signal)).ConfigureAwait(false);
        if (_state == CellState.Running)
            Fail(error);
    }

    /// <summary>The strategy's verdict, with the restart budget and the guardian's rules applied.</summary>
    private SupervisorDirective Decide(ChildEntry entry, Exception error)
    {
        SupervisorDirective directive;
        try
        {
            directive = entry.Strategy.Decider(error);
        }
        catch (Exception deciderError)
        {
            // A throwing decider must not take the parent down with it; stop the child and report the decider.
            System.RaiseFailure(_self, deciderError);
            return SupervisorDirective.Stop;
        }
        if (directive == SupervisorDirective.Restart && entry.Restarts >= entry.Strategy.MaxRestarts)
            return SupervisorDirective.Stop;
        if (directive == SupervisorDirective.Escalate && IsGuardian)
            return SupervisorDirective.Stop; // nobody above the guardian: the top-level actor stops
        return directive;
    }

    /// <summary>The restart is a system message to the child, sent after the backoff; until then it stays suspended.</summary>
    private static void ScheduleRestart(ActorCell child, TimeSpan backoff)
    {
        if (backoff <= TimeSpan.Zero)
        {
            child.SendSystem(RestartActor.Instance);
            return;
        }
        // If the child is stopped meanwhile, the late restart reaches a stopping or dead cell and is ignored.
        _ = Task.Delay(backoff).ContinueWith(
            static (_, state) => ((ActorCell)state!).SendSystem(RestartActor.Instance),
            child, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task HandleChildStoppedAsync(ActorCell child)
    {
        bool removed = Children.Remove(child);
        Debug.Assert(removed, $"{child.Path} reported stopped twice to {Path}");
        if (!Children.IsEmpty)
            return;
        if (_state == CellState.Stopping)
            await FinishStopAsync().ConfigureAwait(false);
        else if (_state == CellState.Restarting)
            await FinishRestartAsync().ConfigureAwait(false);
    }
}
