// The root of an actor hierarchy: spawns top-level actors under the user guardian, counts dead letters, reports every
// failure to the host, and on dispose stops everything children-first. Reference: Akka.NET ActorSystem.
namespace Orion.Actors;

/// <summary>A tree of actors in this process. Engine code does not log: hosts subscribe to <see cref="Failure"/>.</summary>
public sealed class ActorSystem : IAsyncDisposable
{
    private readonly ActorCell<object> _guardian;
    private long _deadLetters;
    private long _tempCount;

    private ActorSystem(string name)
    {
        Name = name;
        _guardian = new ActorCell<object>(this, parent: null, "user", static () => new GuardianActor());
        _guardian.Start();
    }

    /// <summary>The system's name, the authority of every actor path (<c>orion://name/user/...</c>).</summary>
    public string Name { get; }

    /// <summary>User messages that reached a stopped actor (or an ask that already timed out) and were dropped.</summary>
    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>Every failure: a handler, PreStart or OnSignal that threw, a parent failed by Escalate, a PostStop or
    /// decider that threw. Raised on the failing actor's loop; a handler that throws is ignored.</summary>
    public event Action<IActorRef, Exception>? Failure;

    /// <summary>Creates a system; <paramref name="name"/> must be a valid path segment.</summary>
    public static ActorSystem Create(string name)
    {
        ActorCell.ValidateName(name, "orion://");
        return new ActorSystem(name);
    }

    /// <summary>Spawns a top-level actor; <paramref name="strategy"/> defaults to stop on failure, and Escalate stops it too.</summary>
    public ActorRef<T> Spawn<T>(string name, Func<Actor<T>> factory, SupervisorStrategy? strategy = null) where T : class =>
        _guardian.SpawnChild(name, factory, strategy ?? SupervisorStrategy.StopOnFailure);

    /// <summary>Completes when <paramref name="actor"/> has stopped (PostStop ran, watchers notified).</summary>
    public Task WhenStopped(IActorRef actor) => CellOf(actor, nameof(WhenStopped)).Stopped;

    /// <summary>Stops any actor of this system from outside (hosts, tests); inside an actor use ActorContext.Stop.</summary>
    public void Stop(IActorRef actor) => CellOf(actor, nameof(Stop)).SendSystem(StopActor.Normal);

    /// <summary>Stops all actors (children before parents, each after its PostStop) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        _guardian.SendSystem(StopActor.Normal);
        await _guardian.Stopped.ConfigureAwait(false);
    }

    internal void CountDeadLetters(long count)
    {
        if (count > 0)
            Interlocked.Add(ref _deadLetters, count);
    }

    internal string NextTempPath() => $"orion://{Name}/temp/ask-{Interlocked.Increment(ref _tempCount)}";

    internal void RaiseFailure(IActorRef actor, Exception error)
    {
        if (Failure is not { } handlers)
            return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<IActorRef, Exception>>())
        {
            try
            {
                handler(actor, error);
            }
            catch (Exception)
            {
                // A host's logging callback must not break supervision; the failure itself was already reported.
            }
        }
    }

    private ActorCell CellOf(IActorRef actor, string operation)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is IInternalActorRef { LocalCell: { } cell } && ReferenceEquals(cell.System, this))
            return cell;
        throw new ArgumentException(
            $"{operation}: '{actor.Path}' is not an actor of system '{Name}'; expected a reference returned by this " +
            "system's Spawn or by ActorContext.Spawn inside it", nameof(actor));
    }
}
