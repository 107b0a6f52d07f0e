// What a supervisor does with a failed child.
// Reference: Akka.NET Directive (Resume is left out: a failed handler may have left state half-changed).
namespace Orion.Actors;

/// <summary>The decision a <see cref="SupervisorStrategy"/> makes for a failed child.</summary>
public enum SupervisorDirective
{
    /// <summary>Replace the child with a new instance from its factory; its mailbox is kept, the failing message dropped.</summary>
    Restart,

    /// <summary>Stop the child (its children first); watchers get Terminated carrying the failure.</summary>
    Stop,

    /// <summary>Fail the parent with the child's exception, so the grandparent decides.</summary>
    Escalate,
}
