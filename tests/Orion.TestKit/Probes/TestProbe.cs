// A stand-in actor for tests: pass Ref wherever an ActorRef<T> is expected, then assert on what it received.
// Reference: Akka.TestKit TestProbe (ExpectMsg, ExpectNoMsg, FishForMessage, ReceiveN).
using Orion.Actors;
using Xunit.Sdk;

namespace Orion.TestKit;

/// <summary>
/// A real actor that records its messages. Expectations block the test thread until a message arrives or the timeout
/// (default <see cref="TestTimeouts.Default"/>, scaled by ORION_TEST_TIMEOUT_SCALE) passes, then fail with an
/// <see cref="XunitException"/> naming what arrived instead.
/// </summary>
public sealed class TestProbe<T> where T : class
{
    private static long s_count;
    private readonly ProbeInbox<T> _inbox = new();
    private readonly ActorSystem _system;

    /// <summary>Spawns the probe actor as a top-level actor of <paramref name="system"/>.</summary>
    public TestProbe(ActorSystem system, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        _system = system;
        var inbox = _inbox;
        Ref = system.Spawn(name ?? $"probe-{Interlocked.Increment(ref s_count)}", () => new ProbeActor<T>(inbox));
    }

    /// <summary>The probe's reference: watchable, stoppable and askable like any actor.</summary>
    public ActorRef<T> Ref { get; }

    /// <summary>The next message must be a <typeparamref name="TM"/> matching <paramref name="predicate"/>.</summary>
    public TM ExpectMsg<TM>(Func<TM, bool>? predicate = null, TimeSpan? timeout = null) where TM : T
    {
        var wait = Wait(timeout);
        if (!_inbox.TryTake(DateTime.UtcNow + wait, out var message))
            throw new XunitException(
                $"{Ref.Path}: expected a {typeof(TM).Name} within {Seconds(wait)}, but no message arrived");
        if (message is TM match && (predicate is null || predicate(match)))
            return match;
        throw new XunitException(
            $"{Ref.Path}: expected a {typeof(TM).Name}{(predicate is null ? "" : " matching the predicate")}, " +
            $"but received {message}; still queued after it:{ProbeInbox<T>.Describe(_inbox.Peek())}");
    }

    /// <summary>No message may arrive during <paramref name="duration"/> (not scaled: a slow machine only makes this
    /// check weaker, never red).</summary>
    public void ExpectNoMsg(TimeSpan duration)
    {
        if (_inbox.TryTake(DateTime.UtcNow + duration, out var message))
            throw new XunitException(
                $"{Ref.Path}: expected no message for {Seconds(duration)}, but received {message}; " +
                $"still queued after it:{ProbeInbox<T>.Describe(_inbox.Peek())}");
    }

    /// <summary>Skips messages until one is a <typeparamref name="TM"/> matching <paramref name="predicate"/>.</summary>
    public TM FishForMessage<TM>(Func<TM, bool> predicate, TimeSpan? timeout = null) where TM : T
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var wait = Wait(timeout);
        var deadline = DateTime.UtcNow + wait;
        var skipped = new List<object?>();
        while (_inbox.TryTake(deadline, out var message))
        {
            if (message is TM match && predicate(match))
                return match;
            skipped.Add(message);
        }
        throw new XunitException(
            $"{Ref.Path}: expected a {typeof(TM).Name} matching the predicate within {Seconds(wait)}; " +
            $"skipped instead:{ProbeInbox<T>.Describe(skipped)}");
    }

    /// <summary>The next <paramref name="n"/> messages, in arrival order, all within one timeout.</summary>
    public IReadOnlyList<T> ReceiveN(int n, TimeSpan? timeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var wait = Wait(timeout);
        var deadline = DateTime.UtcNow + wait;
        var received = new List<T>(n);
        while (received.Count < n && _inbox.TryTake(deadline, out var message))
            received.Add(message);
        if (received.Count < n)
            throw new XunitException(
                $"{Ref.Path}: expected {n} messages within {Seconds(wait)}, but received {received.Count}:" +
                ProbeInbox<T>.Describe(received));
        return received;
    }

    /// <summary>Stops the probe actor, e.g. to play a worker that died; watchers get Terminated.</summary>
    public void Stop() => _system.Stop(Ref);

    private static TimeSpan Wait(TimeSpan? timeout) =>
        timeout is { } given ? TestTimeouts.Dilated(given) : TestTimeouts.Default;

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0.###} s";
}
