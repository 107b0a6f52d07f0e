// A typed actor reference: the only way to send an actor a message. Tell never blocks and never throws for a dead target.
// Reference: Akka.NET IActorRef.Tell / Akka.Typed ActorRef<T>.
namespace Orion.Actors;

/// <summary>A reference to an actor that accepts messages of type <typeparamref name="T"/>.</summary>
public abstract class ActorRef<T> : IActorRef where T : class
{
    /// <inheritdoc />
    public abstract string Path { get; }

    /// <summary>
    /// Enqueues <paramref name="message"/>; never blocks. A message to a stopped actor goes to dead letters
    /// (counted in <see cref="ActorSystem.DeadLetters"/>) and is otherwise dropped.
    /// </summary>
    public abstract void Tell(T message);

    /// <summary>The system this reference belongs to, when it is local; used to count dead letters of replies.</summary>
    internal virtual ActorSystem? OwnerSystem => null;

    /// <inheritdoc />
    public override string ToString() => Path;
}
