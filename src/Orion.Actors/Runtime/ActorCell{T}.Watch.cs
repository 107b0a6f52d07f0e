// Death watch and timers of one actor. A Terminated signal is delivered only while the watch is still wanted, and a
// timer's message only while its handle is live, both checked inside the loop. Reference: Akka.NET DeathWatch,
// ITimerScheduler.
using System.Diagnostics;

namespace Orion.Actors;

internal sealed partial class ActorCell<T>
{
    private readonly HashSet<IInternalActorRef> _watchers = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<IActorRef> _watching = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<TimerHandle> _timers = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _timersGate = new();

    public void Watch(IActorRef other)
    {
        if (ReferenceEquals(other, _self))
            return; // Akka ignores self-watch: an actor cannot observe its own death
        var target = AsInternal(other, nameof(Watch));
        if (_watching.Add(other))
            target.SendSystem(new WatchRequest(_self));
    }

    public void Unwatch(IActorRef other)
    {
        var target = AsInternal(other, nameof(Unwatch));
        if (_watching.Remove(other))
            target.SendSystem(new UnwatchRequest(_self));
    }

    private static IInternalActorRef AsInternal(IActorRef other, string operation)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other as IInternalActorRef ?? throw new ArgumentException(
            $"{operation}: '{other.Path}' is a {other.GetType().Name}, which the runtime cannot watch; expected a " +
            "reference from ActorSystem.Spawn, ActorContext.Spawn or a TestProbe (ask-reply refs cannot be watched)",
            nameof(other));
    }

    private void AddWatcher(IInternalActorRef watcher)
    {
        Debug.Assert(_state != CellState.Terminated, "a terminated cell answers watches as dead letters");
        _watchers.Add(watcher);
    }

    private void HandleDeathNotice(DeathNotice notice)
    {
        // Not watched (any more): an Unwatch came first, or this is a notice for a watch that was already answered.
        if (!_watching.Remove(notice.Actor))
            return;
        if (_state != CellState.Stopping)
            _pendingSignals.Enqueue(new Terminated(notice.Actor, notice.Failure));
    }

    private void NotifyWatchersAndUnwatchAll()
    {
        foreach (var watcher in _watchers)
            watcher.SendSystem(new DeathNotice(_self, _stopCause));
        _watchers.Clear();
        // Tell the actors this one watched to forget it, so they do not keep a dead watcher.
        foreach (var watched in _watching)
            ((IInternalActorRef)watched).SendSystem(new UnwatchRequest(_self));
        _watching.Clear();
    }

    public IDisposable ScheduleOnce(TimeSpan delay, T message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        var timer = new TimerHandle(this, message, delay);
        lock (_timersGate)
            _timers.Add(timer);
        return timer;
    }

    public override void ForgetTimer(TimerHandle timer)
    {
        lock (_timersGate)
            _timers.Remove(timer);
    }

    private void HandleTimerFired(TimerHandle timer)
    {
        ForgetTimer(timer);
        if (!timer.IsCancelled && _state is CellState.Running or CellState.Suspended)
            _dueTimers.Enqueue(timer);
    }

    /// <summary>Restart and stop cancel every timer: the new instance (or nobody) did not ask for them.</summary>
    private void CancelTimers()
    {
        TimerHandle[] live;
        lock (_timersGate)
            live = [.. _timers];
        foreach (var timer in live)
            timer.Dispose();
        _dueTimers.Clear();
    }
}
