// Death watch: Terminated after a normal stop and after a failure (carrying it), for an already dead actor, and
// never after Unwatch. Reference: Akka.NET DeathWatch.
using Orion.TestKit;
using Xunit;

namespace Orion.Actors.Tests.Runtime;

public sealed class DeathWatchTests : TestKitBase
{
    [Fact]
    public void Watch_ActorStoppedNormally_TerminatedWithoutFailure()
    {
        var report = CreateProbe<object>();
        var actor = Sys.Spawn("worker", () => new ReportingActor("w", report.Ref));
        var watcher = CreateWatchProbe();
        watcher.Watch(actor);

        Sys.Stop(actor);

        var terminated = watcher.ExpectTerminated(actor);
        Assert.Null(terminated.Failure);
    }

    [Fact]
    public void Watch_ActorFails_TerminatedCarriesTheFailure()
    {
        var report = CreateProbe<object>();
        var actor = Sys.Spawn("worker", () => new ReportingActor("w", report.Ref)); // top level: stop on failure
        var watcher = CreateWatchProbe();
        watcher.Watch(actor);

        actor.Tell(new Crash("disk on fire"));

        var terminated = watcher.ExpectTerminated(actor);
        Assert.IsType<InvalidOperationException>(terminated.Failure);
        Assert.Equal("disk on fire", terminated.Failure.Message);
        Assert.Contains(Failures, f => ReferenceEquals(f.Actor, actor) && f.Error.Message == "disk on fire");
    }

    [Fact]
    public async Task Watch_AlreadyDeadActor_StillGetsTerminated()
    {
        var report = CreateProbe<object>();
        var actor = Sys.Spawn("worker", () => new ReportingActor("w", report.Ref));
        Sys.Stop(actor);
        await Sys.WhenStopped(actor).WaitAsync(TestTimeouts.Default);
        var watcher = CreateWatchProbe();

        watcher.Watch(actor);

        Assert.Same(actor, watcher.ExpectTerminated(actor).Actor);
    }

    [Fact]
    public async Task Unwatch_BeforeStop_NoTerminatedDelivered()
    {
        var report = CreateProbe<object>();
        var unwatched = Sys.Spawn("unwatched", () => new ReportingActor("u", report.Ref));
        var watched = Sys.Spawn("watched", () => new ReportingActor("w", report.Ref));
        var watcher = CreateWatchProbe();
        watcher.Watch(unwatched);
        watcher.Unwatch(unwatched);
        watcher.Watch(watched);

        Sys.Stop(unwatched);
        await Sys.WhenStopped(unwatched).WaitAsync(TestTimeouts.Default);
        Sys.Stop(watched);

        // The unwatched actor's notice reached the watcher before the watched one even began to stop, so once the
        // second Terminated is in, a wrongly delivered first one would be too.
        watcher.ExpectTerminated(watched);
        watcher.ExpectNoTerminated(unwatched, TimeSpan.Zero);
    }

    [Fact]
    public void Watch_ForeignReference_ThrowsNamingIt()
    {
        var watcher = CreateWatchProbe();
        var notWatchable = new NotAnActor();

        var error = Assert.Throws<ArgumentException>(() => watcher.Watch(notWatchable));

        Assert.Contains(notWatchable.Path, error.Message, StringComparison.Ordinal);
    }

    private sealed class NotAnActor : IActorRef
    {
        public string Path => "elsewhere://not-an-actor";
    }
}
