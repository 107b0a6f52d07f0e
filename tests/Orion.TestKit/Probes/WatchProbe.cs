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

    /// <summary>Starts watching <paramref name="actor"/> and returns once the watch is registered; an already dead
    /// actor still yields Terminated.</summary>
    public void Watch(IActorRef actor) => Send(actor, watch: true);

    /// <summary>Stops watching <paramref name="actor"/>; once this returns, no Terminated for it is recorded.</summary>
    public void Unwatch(IActorRef actor) => Send(actor, watch: false);

    /// <summary>Fails if a Terminated for <paramref name="actor"/> was recorded or arrives within
    /// <paramref name="duration"/> (zero: check only what already arrived).</summary>
    public void ExpectNoTerminated(IActorRef actor, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var deadline = DateTime.UtcNow + duration;
        while (_inbox.TryTake(deadline, out var terminated))
            _unclaimed.Add(terminated);
        if (_unclaimed.Find(t => ReferenceEquals(t.Actor, actor)) is { } unexpected)
            throw new XunitException($"{_actor.Path}: expected no Terminated for {actor.Path}, but got {unexpected}");
    }

    // Acknowledged so that "Watch, then stop the actor" and "Unwatch, then stop it" mean what they say in a test.
    private void Send(IActorRef actor, bool watch)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _actor.Tell(new WatchCommand(actor, watch, done));
        try
        {
            done.Task.WaitAsync(TestTimeouts.Default).GetAwaiter().GetResult(); // rethrows the watcher's own error
        }
        catch (TimeoutException)
        {
            throw new XunitException($"{_actor.Path}: the watcher did not confirm {(watch ? "Watch" : "Unwatch")} of " +
                                     $"{actor.Path} within {TestTimeouts.Default.TotalSeconds:0.###} s");
        }
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
    internal sealed record WatchCommand(IActorRef Target, bool Watch, TaskCompletionSource Done);

    private sealed class WatcherActor(ProbeInbox<Terminated> inbox) : Actor<WatchCommand>
    {
        protected override Task ReceiveAsync(WatchCommand message)
        {
            try
            {
                if (message.Watch)
                    Context.Watch(message.Target);
                else
                    Context.Unwatch(message.Target);
                message.Done.TrySetResult();
            }
            catch (Exception error)
            {
                message.Done.TrySetException(error);
            }
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
