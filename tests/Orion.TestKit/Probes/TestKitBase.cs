// Base class for actor tests: one ActorSystem per test (xunit creates the class per test), probes, and a disposal
// that stops every actor and fails loudly if one hangs. Reference: Akka.TestKit TestKitBase.
using System.Collections.Concurrent;
using Orion.Actors;
using Xunit;

namespace Orion.TestKit;

/// <summary>Derive test classes from this; <see cref="Sys"/> is fresh for every test.</summary>
public abstract class TestKitBase : IAsyncDisposable, IAsyncLifetime
{
    private readonly ConcurrentQueue<(IActorRef Actor, Exception Error)> _failures = new();
    private int _disposed;

    /// <summary>Creates the system, named after the test class unless <paramref name="systemName"/> is given.</summary>
    protected TestKitBase(string? systemName = null)
    {
        Sys = ActorSystem.Create(systemName ?? GetType().Name);
        Sys.Failure += (actor, error) => _failures.Enqueue((actor, error));
    }

    /// <summary>The actor system of this test.</summary>
    public ActorSystem Sys { get; }

    /// <summary>Every failure the system reported so far (ActorSystem.Failure), in order.</summary>
    public IReadOnlyList<(IActorRef Actor, Exception Error)> Failures => [.. _failures];

    /// <summary>A new probe for messages of type <typeparamref name="T"/>.</summary>
    public TestProbe<T> CreateProbe<T>(string? name = null) where T : class => new(Sys, name);

    /// <summary>A new death-watch probe.</summary>
    public WatchProbe CreateWatchProbe(string? name = null) => new(Sys, name);

    /// <summary>Stops every actor; throws if they have not all stopped within the default timeout.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        GC.SuppressFinalize(this);
        var wait = TestTimeouts.Default;
        try
        {
            await Sys.DisposeAsync().AsTask().WaitAsync(wait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"actor system '{Sys.Name}' did not stop within {wait.TotalSeconds:0.###} s; expected every actor to " +
                "finish its handler and PostStop (hint: a handler awaits something that never completes)");
        }
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
