// Tells a parent that one of its children failed and what its supervisor strategy decided.
// Reference: Akka.Typed ChildFailed; classic supervision (the decision is made before the parent is told).
namespace Orion.Actors;

/// <summary>
/// <paramref name="Child"/> threw <paramref name="Error"/>; the strategy already applied <paramref name="Directive"/>
/// (a Restart that exceeded MaxRestarts is reported as Stop).
/// </summary>
public sealed record ChildFailed(IActorRef Child, Exception Error, SupervisorDirective Directive) : Signal;
