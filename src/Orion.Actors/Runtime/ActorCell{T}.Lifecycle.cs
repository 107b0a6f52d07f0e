// Start, fail, restart and stop of one actor. Restart and stop both wait for the children to stop first; stop then
// runs PostStop, drains the mailbox into dead letters and tells watchers and the parent. Reference: Akka.NET
// FaultHandling (FaultRecreate, Terminate, FinishTerminate).
using System.Diagnostics;

namespace Orion.Actors;

internal sealed partial class ActorCell<T>
{
    private Actor<T>? _previousInstance;
    private Exception? _lastFailure;

    /// <summary>Every state change goes through here so debug builds check the lifecycle graph.</summary>
    private void TransitionTo(CellState next)
    {
        Debug.Assert(
            (_state, next) is (CellState.Starting, CellState.Running) or (CellState.Starting, CellState.Suspended)
                or (CellState.Running, CellState.Suspended) or (CellState.Running, CellState.Stopping)
                or (CellState.Suspended, CellState.Restarting) or (CellState.Suspended, CellState.Stopping)
                or (CellState.Restarting, CellState.Starting) or (CellState.Restarting, CellState.Stopping),
            $"{Path}: illegal lifecycle transition {_state} -> {next}");
        _state = next;
    }

    /// <summary>New instance from the factory, then PreStart; a throw is a failure like any handler's.</summary>
    private async Task StartInstanceAsync()
    {
        Debug.Assert(_state == CellState.Starting && _instance is null);
        try
        {
            var instance = _factory() ?? throw new InvalidOperationException(
                $"the factory of actor '{Path}' returned null; expected a new Actor<{typeof(T).Name}>");
            if (ReferenceEquals(instance, _previousInstance))
                throw new InvalidOperationException(
                    $"the factory of actor '{Path}' returned the instance that just failed; a restart needs a fresh " +
                    "instance (hint: spawn with () => new MyActor(...), not a captured instance)");
            instance.Attach(_context);
            _instance = instance;
            _behavior = instance.InitialBehavior;
            await instance.InvokePreStartAsync().ConfigureAwait(false);
            if (_state == CellState.Starting)
                TransitionTo(CellState.Running);
        }
        catch (Exception error)
        {
            Fail(error);
        }
    }

    /// <summary>Suspends the actor and hands the decision to the parent (Akka: the failing actor never decides).</summary>
    private void Fail(Exception error)
    {
        Debug.Assert(!IsGuardian, "the guardian runs no user code, so it cannot fail");
        TransitionTo(CellState.Suspended);
        _lastFailure = error;
        System.RaiseFailure(_self, error);
        Parent!.SendSystem(new ChildFailure(this, error));
    }

    /// <summary>Restart (from the parent, after the backoff): stop the children, then replace the instance.</summary>
    private async Task BeginRestartAsync()
    {
        if (_state != CellState.Suspended)
            return; // a Stop overtook the restart, or a duplicate; nothing to restart
        TransitionTo(CellState.Restarting);
        CancelTimers();
        foreach (var child in Children.Snapshot())
            child.SendSystem(StopActor.Normal);
        if (Children.IsEmpty)
            await FinishRestartAsync().ConfigureAwait(false);
    }

    private async Task FinishRestartAsync()
    {
        Debug.Assert(_state == CellState.Restarting && Children.IsEmpty);
        await PostStopInstanceAsync().ConfigureAwait(false);
        TransitionTo(CellState.Starting);
        await StartInstanceAsync().ConfigureAwait(false);
    }

    /// <summary>Stop: no more spawns, stop the children, and finish once the last one reported back.</summary>
    private async Task BeginStopAsync(Exception? cause)
    {
        if (_state == CellState.Stopping)
            return;
        // A failed actor stopped by its parent's own stop or restart still died of its failure.
        _stopCause ??= cause ?? (_state == CellState.Suspended ? _lastFailure : null);
        TransitionTo(CellState.Stopping);
        CancelTimers();
        _pendingSignals.Clear();
        _dueTimers.Clear();
        foreach (var child in Children.CloseAndSnapshot())
            child.SendSystem(StopActor.Normal);
        if (Children.IsEmpty)
            await FinishStopAsync().ConfigureAwait(false);
    }

    private async Task FinishStopAsync()
    {
        Debug.Assert(_state == CellState.Stopping && Children.IsEmpty);
        await PostStopInstanceAsync().ConfigureAwait(false);
        CompleteTermination();
    }

    /// <summary>PostStop of the current instance; a throw there is reported but cannot stop the stop.</summary>
    private async Task PostStopInstanceAsync()
    {
        var instance = _instance;
        _instance = null;
        _behavior = null;
        _previousInstance = instance ?? _previousInstance;
        if (instance is null)
            return;
        try
        {
            await instance.InvokePostStopAsync().ConfigureAwait(false);
        }
        catch (Exception error)
        {
            System.RaiseFailure(_self, error);
        }
    }

    /// <summary>Closes both channels (later sends become dead letters), then tells watchers and the parent.</summary>
    private void CompleteTermination()
    {
        _state = CellState.Terminated; // not via TransitionTo: the crash path in RunAsync ends here from any state
        _systemQueue.Writer.TryComplete();
        _mailbox.Writer.TryComplete();
        long dropped = 0;
        while (_mailbox.Reader.TryRead(out _))
            dropped++;
        System.CountDeadLetters(dropped);
        // Anything that raced in before the channel closed: a watch still gets its answer.
        while (_systemQueue.Reader.TryRead(out var late))
            HandleDeadSystemMessage(late);
        NotifyWatchersAndUnwatchAll();
        Parent?.SendSystem(new ChildStopped(this));
        _stopped.TrySetResult();
    }

    /// <summary>The actor is gone: answer watches at once, drop the rest (a dead actor needs no restart or timer).</summary>
    private void HandleDeadSystemMessage(SystemMessage message)
    {
        if (message is WatchRequest watch)
            watch.Watcher.SendSystem(new DeathNotice(_self, _stopCause));
    }
}
