// The reference to an actor in this process: Tell writes to its mailbox channel, SendSystem to its system channel.
// Reference: Akka.NET LocalActorRef.
namespace Orion.Actors;

/// <summary>One per cell, so reference equality is actor identity.</summary>
internal sealed class LocalActorRef<T> : ActorRef<T>, IInternalActorRef where T : class
{
    private readonly ActorCell<T> _cell;

    public LocalActorRef(ActorCell<T> cell) => _cell = cell;

    public override string Path => _cell.Path;

    public ActorCell? LocalCell => _cell;

    internal override ActorSystem? OwnerSystem => _cell.System;

    public override void Tell(T message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _cell.Post(message);
    }

    public void SendSystem(SystemMessage message) => _cell.SendSystem(message);
}
