// Death watch for tests: watch any actor and block until its Terminated arrives, in whatever order actors die.
// Reference: Akka.TestKit TestProbe.Watch / ExpectTerminated.
using Orion.Actors;
using Xunit.Sdk;

namespace Orion.TestKit;

/// <summary>A real actor that watches on request and records the Terminated signals it gets.</summary>
public sealed class WatchProbe
{
    private static long s_count;
    private readonly ProbeInbox<Terminated> _inbox = new();
    private readonly List<Terminated> _unclaimed = [];
    private readonly ActorRef<WatchCommand> _actor;

    /// <summary>Spawns the watcher as a top-level actor of <paramref name="system"/>.</summary>
    public WatchProbe(ActorSystem system, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        var inbox = _inbox;
        _actor = system.Spawn(name ?? $"watch-probe-{Interlocked.Increment(ref s_count)}", () => new WatcherActor(inbox));
    }

    /// <summary>The watcher's reference.</summary>
    public IActorRef Ref => _actor;

    /// <summary>Starts watching <paramref name="actor"/>; an already dead actor still yields Terminated.</summary>
    public void Watch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        _actor.Tell(new WatchCommand(actor, Watch: true));
    }

    /// <summary>Stops watching <paramref name="actor"/>.</summary>
    public void Unwatch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        _actor.Tell(new WatchCommand(actor, Watch: false));
    }

    /// <summary>Waits for the Terminated of <paramref name="actor"/> (which must be watched); others are kept for
    /// later calls, so the order in which actors die does not matter.</summary>
    public Terminated ExpectTerminated(IActorRef actor, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        int index = _unclaimed.FindIndex(t => ReferenceEquals(t.Actor, actor));
        if (index >= 0)
        {
            var found = _unclaimed[index];
            _unclaimed.RemoveAt(index);
            return found;
        }
        var wait = timeout is { } given ? TestTimeouts.Dilated(given) : TestTimeouts.Default;
        var deadline = DateTime.UtcNow + wait;
        while (_inbox.TryTake(deadline, out var terminated))
        {
            if (ReferenceEquals(terminated.Actor, actor))
                return terminated;
            _unclaimed.Add(terminated);
        }
        throw new XunitException(
            $"{_actor.Path}: expected Terminated for {actor.Path} within {wait.TotalSeconds:0.###} s " +
            $"(did you Watch it?); other terminations seen:{ProbeInbox<Terminated>.Describe(_unclaimed)}");
    }

    /// <summary>What the watcher actor is asked to do.</summary>
    internal sealed record WatchCommand(IActorRef Target, bool Watch);

    private sealed class WatcherActor(ProbeInbox<Terminated> inbox) : Actor<WatchCommand>
    {
        protected override Task ReceiveAsync(WatchCommand message)
        {
            if (message.Watch)
                Context.Watch(message.Target);
            else
                Context.Unwatch(message.Target);
            return Task.CompletedTask;
        }

        protected override Task OnSignalAsync(Signal signal)
        {
            if (signal is Terminated terminated)
                inbox.Add(terminated);
            return Task.CompletedTask;
        }
    }
}
