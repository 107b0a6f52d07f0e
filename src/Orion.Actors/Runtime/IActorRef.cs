// The untyped face of an actor reference: what death watch, signals and paths need without knowing the message type.
// Reference: Akka.NET IActorRef (architecture.md "Cluster", Actors).
namespace Orion.Actors;

/// <summary>An address to an actor. Equality is identity: a new actor with the same path is a different reference.</summary>
public interface IActorRef
{
    /// <summary>Where the actor lives, e.g. <c>orion://training/user/coordinator/worker-0</c>.</summary>
    string Path { get; }
}
