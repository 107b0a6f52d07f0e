// The untyped half of an actor's runtime state: identity, parent, children and the system channel's entry point, so
// parents, watchers and the system can handle cells of any message type. Reference: Akka.NET ActorCell.
namespace Orion.Actors;

/// <summary>Base of <see cref="ActorCell{T}"/>; everything a parent or watcher needs without knowing T.</summary>
internal abstract class ActorCell
{
    // Which cell's loop the current code runs in; lets ActorContext reject calls made from other threads.
    private static readonly AsyncLocal<ActorCell?> s_current = new();

    protected ActorCell(ActorSystem system, ActorCell? parent, string name)
    {
        System = system;
        Parent = parent;
        Name = name;
        Path = parent is null ? $"orion://{system.Name}/{name}" : $"{parent.Path}/{name}";
    }

    public ActorSystem System { get; }

    /// <summary>Null only for the guardian.</summary>
    public ActorCell? Parent { get; }

    public string Name { get; }

    public string Path { get; }

    public ChildrenContainer Children { get; } = new();

    public abstract IInternalActorRef SelfRef { get; }

    /// <summary>Completes once the actor has stopped, its PostStop ran and its watchers were notified.</summary>
    public abstract Task Stopped { get; }

    /// <summary>The failure the actor was stopped for; set before it terminates, read after.</summary>
    public abstract Exception? StopCause { get; }

    public bool IsGuardian => Parent is null;

    /// <summary>True when the calling code runs inside this cell's loop (including its awaited continuations).</summary>
    public bool IsCurrent => ReferenceEquals(s_current.Value, this);

    public abstract void SendSystem(SystemMessage message);

    /// <summary>Called by a timer handle on Dispose so a cancelled timer is not kept until the actor stops.</summary>
    public abstract void ForgetTimer(TimerHandle timer);

    protected void EnterLoop() => s_current.Value = this;

    /// <summary>Creates, registers and starts a child; throws naming the path when the name is invalid or taken.</summary>
    public ActorRef<TChild> SpawnChild<TChild>(string name, Func<Actor<TChild>> factory, SupervisorStrategy strategy)
        where TChild : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(strategy);
        ValidateName(name, Path);
        strategy.Validate();
        var child = new ActorCell<TChild>(System, this, name, factory);
        if (Children.TryAdd(name, new ChildEntry(child, strategy)) is { } reason)
            throw new InvalidOperationException(
                $"cannot spawn '{name}' under '{Path}': {reason} " +
                (IsGuardian ? "(hint: use a unique top-level name, or the system was disposed)"
                            : "(hint: use a unique name among siblings, or wait for the old child's Terminated)"));
        child.Start();
        return child.Self;
    }

    /// <summary>Actor (and system) names become path segments: non-empty, no '/', no whitespace.</summary>
    public static void ValidateName(string name, string where)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Any(c => c == '/' || char.IsWhiteSpace(c)))
            throw new ArgumentException(
                $"actor name '{name}' under '{where}' is invalid: expected a non-empty name without '/' or whitespace " +
                "(hint: e.g. 'worker-0')", nameof(name));
    }
}
