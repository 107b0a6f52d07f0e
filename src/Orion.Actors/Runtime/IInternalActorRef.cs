// What the runtime needs from a reference beyond Tell: a path for system messages. Remote references (links) implement
// it too, so death watch works across processes. Reference: Akka.NET IInternalActorRef.
namespace Orion.Actors;

/// <summary>A reference the runtime can send system messages to (watch, unwatch, death notices).</summary>
internal interface IInternalActorRef : IActorRef
{
    /// <summary>
    /// Delivers <paramref name="message"/>; if the target is gone, a WatchRequest is answered at once with a
    /// DeathNotice (so watching a dead actor still yields Terminated) and anything else is dropped.
    /// </summary>
    void SendSystem(SystemMessage message);

    /// <summary>The cell behind the reference when it lives in this process, else null.</summary>
    ActorCell? LocalCell { get; }
}
