// Death-watch notification: a watched actor has stopped (normally, or because of Failure).
// Reference: Akka.NET Terminated / DeathWatchNotification.
namespace Orion.Actors;

/// <summary>
/// <paramref name="Actor"/> has stopped; <paramref name="Failure"/> is the exception that made its supervisor stop it,
/// or null after a normal stop. Delivered once per Watch, also when the actor was already dead when watched.
/// </summary>
public sealed record Terminated(IActorRef Actor, Exception? Failure) : Signal;
