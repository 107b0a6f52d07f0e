// The runtime's own messages between cells (stop, restart, failure, death watch, timers). They travel on a separate
// channel that the loop drains before any user message. Reference: Akka.NET SystemMessage / Akka.Dispatch.SysMsg.
namespace Orion.Actors;

/// <summary>A message between cells; handled before user messages, also while the actor is suspended.</summary>
internal abstract record SystemMessage;

/// <summary>Stop the actor (children first); <paramref name="Cause"/> is the failure that led to it, if any.</summary>
internal sealed record StopActor(Exception? Cause) : SystemMessage
{
    public static StopActor Normal { get; } = new((Exception?)null);
}

/// <summary>From the parent, after the backoff: replace the suspended instance with a new one.</summary>
internal sealed record RestartActor : SystemMessage
{
    public static RestartActor Instance { get; } = new();
}

/// <summary>To the parent: <paramref name="Child"/> threw <paramref name="Error"/> and is suspended.</summary>
internal sealed record ChildFailure(ActorCell Child, Exception Error) : SystemMessage;

/// <summary>To the parent: <paramref name="Child"/> has stopped for good and released its name.</summary>
internal sealed record ChildStopped(ActorCell Child) : SystemMessage;

/// <summary>To a watched actor: notify <paramref name="Watcher"/> when you stop.</summary>
internal sealed record WatchRequest(IInternalActorRef Watcher) : SystemMessage;

/// <summary>To a watched actor: <paramref name="Watcher"/> no longer cares.</summary>
internal sealed record UnwatchRequest(IInternalActorRef Watcher) : SystemMessage;

/// <summary>To a watcher: <paramref name="Actor"/> stopped; becomes a Terminated signal if still watched.</summary>
internal sealed record DeathNotice(IActorRef Actor, Exception? Failure) : SystemMessage;

/// <summary>To the timer's owner: the timer is due; its message is delivered unless the timer was disposed meanwhile.</summary>
internal sealed record TimerFired(TimerHandle Timer) : SystemMessage;
