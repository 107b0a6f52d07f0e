// The user guardian: the parent of every top-level actor. It has no behaviour of its own; its cell supervises
// top-level actors (escalation stops them) and stopping it is how the system shuts down. Reference: Akka.NET /user.
namespace Orion.Actors;

/// <summary>Receives nothing; exists so top-level actors have a parent cell like every other actor.</summary>
internal sealed class GuardianActor : Actor<object>
{
    protected override Task ReceiveAsync(object message) => Task.CompletedTask;
}
