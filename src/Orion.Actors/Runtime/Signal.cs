// Lifecycle notifications an actor receives through OnSignalAsync rather than its message type.
// Reference: Akka.Typed signals (Terminated, ChildFailed).
namespace Orion.Actors;

/// <summary>A lifecycle notification delivered to <see cref="Actor{T}"/> via OnSignalAsync, before pending user messages.</summary>
public abstract record Signal;
