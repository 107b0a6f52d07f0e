// A single-shot timer owned by an actor. Firing only posts a TimerFired system message; the loop delivers the timer's
// message only if the handle is still live then, so a Dispose inside the actor guarantees the message never arrives.
// Reference: Akka.NET ITimerScheduler (generation check on delivery instead of trusting the timer thread).
namespace Orion.Actors;

/// <summary>Returned by ActorContext.ScheduleOnce; Dispose cancels (idempotent, thread-safe).</summary>
internal sealed class TimerHandle : IDisposable
{
    private readonly ActorCell _owner;
    private readonly Timer _timer;
    private volatile bool _cancelled;
    private volatile bool _fired;

    public TimerHandle(ActorCell owner, object message, TimeSpan delay)
    {
        _owner = owner;
        Message = message;
        // Created disarmed and armed after the field is set, so the callback never sees a half-built handle.
        _timer = new Timer(static state => ((TimerHandle)state!).OnDue(), this, Timeout.Infinite, Timeout.Infinite);
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    public object Message { get; }

    public bool IsCancelled => _cancelled;

    /// <summary>The timer came due and posted TimerFired (lets tests dispose a handle that is already due).</summary>
    public bool HasFired => _fired;

    public void Dispose()
    {
        _cancelled = true;
        _timer.Dispose();
        _owner.ForgetTimer(this);
    }

    private void OnDue()
    {
        if (_cancelled)
            return;
        _owner.SendSystem(new TimerFired(this));
        _fired = true;
    }
}
