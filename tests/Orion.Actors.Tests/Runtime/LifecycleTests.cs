// Lifecycle order: children stop before their parent's PostStop, watchers hear after PostStop, and disposing the
// system stops every actor. Reference: Akka.NET actor lifecycle (Terminate -> children -> PostStop -> DeathWatch).
using System.Collections.Concurrent;
using Orion.TestKit;
using Xunit;

namespace Orion.Actors.Tests.Runtime;

public sealed class LifecycleTests : TestKitBase
{
    [Fact]
    public void Stop_ParentWithGrandchildren_ChildrenPostStopFirst()
    {
        var report = CreateProbe<object>();
        var top = Sys.Spawn("g", () => new ReportingActor("g", report.Ref, onStart: g =>
            g.Spawn("p", () => new ReportingActor("p", report.Ref, onStart: p =>
                p.Spawn("c", () => new ReportingActor("c", report.Ref))))));
        report.FishForMessage<string>(s => s == "c:start:1");

        Sys.Stop(top);

        Assert.Equal(["c:stop:1", "p:stop:1", "g:stop:1"], report.ReceiveN(3).Cast<string>());
    }

    [Fact]
    public void Stop_Self_StopsAfterCurrentMessage()
    {
        var report = CreateProbe<object>();
        var actor = Sys.Spawn("quitter", () => new Quitter(report.Ref));
        var watcher = CreateWatchProbe();
        watcher.Watch(actor);

        actor.Tell("quit");
        actor.Tell("after");

        report.ExpectMsg<string>(s => s == "handled quit");
        report.ExpectMsg<string>(s => s == "post-stop");
        watcher.ExpectTerminated(actor);
    }

    private sealed class Quitter(ActorRef<object> report) : Actor<string>
    {
        protected override Task ReceiveAsync(string message)
        {
            Context.Stop(Self);
            report.Tell($"handled {message}"); // Stop is a system message: it takes effect after this handler
            return Task.CompletedTask;
        }

        protected override Task PostStopAsync()
        {
            report.Tell("post-stop");
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task DisposeAsync_System_StopsEveryActorChildrenFirst()
    {
        var log = new ConcurrentQueue<string>();
        var system = ActorSystem.Create("disposed");
        using var started = new CountdownEvent(4);
        var trees = Enumerable.Range(0, 2).Select(i => system.Spawn($"root{i}", () => new Logger($"root{i}", log, started,
            ctx => ctx.Spawn("leaf", () => new Logger($"root{i}/leaf", log, started))))).ToArray();
        Assert.True(started.Wait(TestTimeouts.Default), "the four actors did not start");

        await system.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Default);

        var stops = log.ToArray();
        Assert.Equal(4, stops.Length);
        foreach (var root in new[] { "root0", "root1" })
            Assert.True(Array.IndexOf(stops, $"{root}/leaf") < Array.IndexOf(stops, root), string.Join(", ", stops));
        Assert.All(trees, t => Assert.True(system.WhenStopped(t).IsCompleted));
        trees[0].Tell("late");
        Assert.Equal(1, system.DeadLetters);
        Assert.Throws<InvalidOperationException>(() => system.Spawn("again", () => new Logger("x", log, started)));
    }

    /// <summary>Signals <paramref name="started"/> in PreStart and logs its name in PostStop.</summary>
    private sealed class Logger(
        string name, ConcurrentQueue<string> log, CountdownEvent started, Action<ActorContext<string>>? onStart = null)
        : Actor<string>
    {
        protected override Task PreStartAsync()
        {
            onStart?.Invoke(Context);
            started.Signal();
            return Task.CompletedTask;
        }

        protected override Task ReceiveAsync(string message) => Task.CompletedTask;

        protected override Task PostStopAsync()
        {
            log.Enqueue(name);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void PreStart_Throws_TopLevelActorStopsAndFailureIsRaised()
    {
        var actor = Sys.Spawn("broken", () => new BrokenStart());
        var watcher = CreateWatchProbe();
        watcher.Watch(actor);

        Assert.Equal("cannot start", watcher.ExpectTerminated(actor).Failure?.Message);
        Assert.Contains(Failures, f => ReferenceEquals(f.Actor, actor));
    }

    private sealed class BrokenStart : Actor<string>
    {
        protected override Task PreStartAsync() => throw new InvalidOperationException("cannot start");

        protected override Task ReceiveAsync(string message) => Task.CompletedTask;
    }

    [Fact]
    public async Task Context_UsedOutsideTheLoop_ThrowsNamingTheActor()
    {
        var leaked = new TaskCompletionSource<ActorContext<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.Spawn("leaky", () => new Leaky(leaked));
        var context = await leaked.Task.WaitAsync(TestTimeouts.Default);

        var error = Assert.Throws<InvalidOperationException>(() => context.Become(_ => Task.CompletedTask));

        Assert.Contains(actor.Path, error.Message, StringComparison.Ordinal);
    }

    private sealed class Leaky(TaskCompletionSource<ActorContext<string>> leaked) : Actor<string>
    {
        protected override Task PreStartAsync()
        {
            leaked.SetResult(Context);
            return Task.CompletedTask;
        }

        protected override Task ReceiveAsync(string message) => Task.CompletedTask;
    }
}
