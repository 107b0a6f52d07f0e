// What an actor may do to the runtime: spawn and stop children, watch others, schedule timers, switch behaviour.
// Every call must come from the actor's own loop. Reference: Akka.NET IActorContext / Akka.Typed ActorContext.
namespace Orion.Actors;

/// <summary>The runtime as seen from inside one actor; valid from PreStartAsync on, only within the actor's loop.</summary>
public sealed class ActorContext<T> where T : class
{
    private readonly ActorCell<T> _cell;

    internal ActorContext(ActorCell<T> cell) => _cell = cell;

    /// <summary>This actor's reference.</summary>
    public ActorRef<T> Self => _cell.Self;

    /// <summary>The system the actor lives in.</summary>
    public ActorSystem System => _cell.System;

    /// <summary>Creates a child supervised by this actor with <paramref name="strategy"/> (default: restart at once, at
    /// most 10 times). The child starts asynchronously; messages told to it meanwhile wait in its mailbox.</summary>
    public ActorRef<TChild> Spawn<TChild>(string name, Func<Actor<TChild>> factory, SupervisorStrategy? strategy = null)
        where TChild : class
    {
        EnsureInLoop(nameof(Spawn));
        return _cell.SpawnChild(name, factory, strategy ?? SupervisorStrategy.Default);
    }

    /// <summary>A Terminated signal arrives in OnSignalAsync once <paramref name="other"/> stops (at once if already dead).</summary>
    public void Watch(IActorRef other)
    {
        EnsureInLoop(nameof(Watch));
        _cell.Watch(other);
    }

    /// <summary>No Terminated for <paramref name="other"/> is delivered after this call.</summary>
    public void Unwatch(IActorRef other)
    {
        EnsureInLoop(nameof(Unwatch));
        _cell.Unwatch(other);
    }

    /// <summary>Stops a child or this actor itself, after the current message; its children stop first.</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        EnsureInLoop(nameof(Stop));
        if (ReferenceEquals(actor, _cell.Self) || _cell.Children.Contains(actor))
        {
            ((IInternalActorRef)actor).SendSystem(StopActor.Normal);
            return;
        }
        throw new ArgumentException(
            $"Stop: '{actor.Path}' is neither '{_cell.Path}' nor one of its children; an actor may stop only itself " +
            "and its children (hint: send the other actor a message asking it to stop, or use ActorSystem.Stop)",
            nameof(actor));
    }

    /// <summary>Tells <paramref name="message"/> to Self after <paramref name="delay"/>. Disposing the handle from
    /// inside the actor guarantees the message is never received; restart and stop cancel all timers.</summary>
    public IDisposable ScheduleOnce(TimeSpan delay, T message) => _cell.ScheduleOnce(delay, message);

    /// <summary>Handles the next messages with <paramref name="behavior"/> (until the next Become or a restart).</summary>
    public void Become(Func<T, Task> behavior)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        EnsureInLoop(nameof(Become));
        _cell.Become(behavior);
    }

    private void EnsureInLoop(string operation)
    {
        if (!_cell.IsCurrent)
            throw new InvalidOperationException(
                $"ActorContext.{operation} was called outside the message loop of '{_cell.Path}' (from code the " +
                "context leaked to); actor state changes only inside its loop (hint: Tell Self a message and do it in " +
                "the handler)");
    }
}
