// Supervision: restart (fresh instance, mailbox kept, failing message dropped), the restart budget, stop, escalation
// to the grandparent, and the ChildFailed signal. Reference: Akka.NET supervision (OneForOneStrategy, Escalate).
using Orion.TestKit;
using Xunit;

namespace Orion.Actors.Tests.Runtime;

public sealed class SupervisionTests : TestKitBase
{
    private static readonly SupervisorStrategy s_quickRestart =
        SupervisorStrategy.RestartWithBackoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), maxRestarts: 2);

    /// <summary>A top-level "p" that spawns one child "c" with <paramref name="strategy"/> and reports its ref.</summary>
    private ActorRef<ChildMsg> SpawnParentWithChild(
        TestProbe<object> report, SupervisorStrategy strategy, Counter? childInstances = null)
    {
        Sys.Spawn("p", () => new ReportingActor("p", report.Ref, onStart: ctx =>
            report.Ref.Tell(ctx.Spawn("c", () => new ReportingActor("c", report.Ref, childInstances), strategy))));
        report.ExpectMsg<string>(s => s == "p:start:1");
        // The child starts while its parent is still reporting its reference: these two arrive in either order.
        var next = report.ReceiveN(2);
        Assert.Contains("c:start:1", next);
        return Assert.Single(next.OfType<ActorRef<ChildMsg>>());
    }

    /// <summary>The next <paramref name="count"/> actor references the probe gets, skipping anything else.</summary>
    private static ActorRef<ChildMsg>[] NextRefs(TestProbe<object> report, int count) =>
        Enumerable.Range(0, count).Select(_ => report.FishForMessage<ActorRef<ChildMsg>>(_ => true)).ToArray();

    [Fact]
    public void Restart_AfterBackoff_FreshInstanceHandlesLaterMessages()
    {
        var report = CreateProbe<object>();
        var child = SpawnParentWithChild(report, s_quickRestart, new Counter());

        child.Tell(new Work("a"));
        child.Tell(new Crash("boom"));
        child.Tell(new Work("b"));
        child.Tell(new Work("c"));

        // The parent's ChildFailed races with the restart itself, so only the child's own reports are ordered.
        var received = report.ReceiveN(6);
        var failed = Assert.Single(received.OfType<ChildFailed>());
        Assert.Same(child, failed.Child);
        Assert.Equal(SupervisorDirective.Restart, failed.Directive);
        Assert.Equal("boom", failed.Error.Message);
        // The old instance stops, a new one starts and gets the messages queued behind the failing one.
        Assert.Equal(["c:1:a", "c:stop:1", "c:start:2", "c:2:b", "c:2:c"], received.OfType<string>());
    }

    [Fact]
    public void Restart_BudgetExhausted_StopsChildWithLastFailure()
    {
        var report = CreateProbe<object>();
        var child = SpawnParentWithChild(report, s_quickRestart, new Counter());
        var watcher = CreateWatchProbe();
        watcher.Watch(child);

        child.Tell(new Crash("one"));
        child.Tell(new Crash("two"));
        child.Tell(new Crash("three"));

        var directives = new[] { "one", "two", "three" }
            .Select(reason => report.FishForMessage<ChildFailed>(f => f.Error.Message == reason).Directive)
            .ToArray();
        Assert.Equal([SupervisorDirective.Restart, SupervisorDirective.Restart, SupervisorDirective.Stop], directives);
        Assert.Equal("three", watcher.ExpectTerminated(child).Failure?.Message);
    }

    [Fact]
    public async Task Stop_Directive_StopsChildAndDropsItsMailbox()
    {
        var report = CreateProbe<object>();
        var child = SpawnParentWithChild(report, SupervisorStrategy.StopOnFailure);
        var watcher = CreateWatchProbe();
        watcher.Watch(child);
        long before = Sys.DeadLetters;

        child.Tell(new Crash("fatal"));
        child.Tell(new Work("never"));

        var failed = report.FishForMessage<ChildFailed>(_ => true);
        Assert.Equal(SupervisorDirective.Stop, failed.Directive);
        Assert.Equal("fatal", watcher.ExpectTerminated(child).Failure?.Message);
        await Sys.WhenStopped(child).WaitAsync(TestTimeouts.Default);
        Assert.Equal(before + 1, Sys.DeadLetters); // the Work behind the crash
    }

    [Fact]
    public void Escalate_ChildFails_GrandparentDecidesForTheParent()
    {
        var report = CreateProbe<object>();
        Sys.Spawn("g", () => new ReportingActor("g", report.Ref, onStart: g =>
            report.Ref.Tell(g.Spawn("p", () => new ReportingActor("p", report.Ref, onStart: p =>
                report.Ref.Tell(p.Spawn("c", () => new ReportingActor("c", report.Ref),
                    SupervisorStrategy.EscalateAll))), SupervisorStrategy.StopOnFailure))));
        var refs = NextRefs(report, 2); // the grandchild may report before the grandparent reports the parent
        var parent = Assert.Single(refs, r => r.Path.EndsWith("/g/p", StringComparison.Ordinal));
        var child = Assert.Single(refs, r => r.Path.EndsWith("/g/p/c", StringComparison.Ordinal));
        var watcher = CreateWatchProbe();
        watcher.Watch(child);

        child.Tell(new Crash("from the child"));

        var atParent = report.FishForMessage<ChildFailed>(f => ReferenceEquals(f.Child, child));
        Assert.Equal(SupervisorDirective.Escalate, atParent.Directive);
        var atGrandparent = report.FishForMessage<ChildFailed>(f => ReferenceEquals(f.Child, parent));
        Assert.Same(atParent.Error, atGrandparent.Error); // the parent failed with the child's own exception
        Assert.Equal(SupervisorDirective.Stop, atGrandparent.Directive);
        Assert.Contains(Failures, f => ReferenceEquals(f.Actor, parent) && f.Error.Message == "from the child");
        // Stopped as part of its parent's stop, the child still reports that it died of its own failure.
        Assert.Equal("from the child", watcher.ExpectTerminated(child).Failure?.Message);
    }

    [Fact]
    public void Escalate_FromTopLevel_GuardianStopsItAndRaisesFailure()
    {
        var report = CreateProbe<object>();
        var top = Sys.Spawn("top", () => new ReportingActor("top", report.Ref), SupervisorStrategy.EscalateAll);
        var watcher = CreateWatchProbe();
        watcher.Watch(top);

        top.Tell(new Crash("nobody above"));

        Assert.Equal("nobody above", watcher.ExpectTerminated(top).Failure?.Message);
        Assert.Contains(Failures, f => ReferenceEquals(f.Actor, top));
    }

    [Fact]
    public void Restart_OfParent_StopsItsChildrenAndStartsNewOnes()
    {
        var report = CreateProbe<object>();
        var parents = new Counter();
        var parent = Sys.Spawn("p", () => new ReportingActor("p", report.Ref, parents, ctx =>
            report.Ref.Tell(ctx.Spawn("c", () => new ReportingActor("c", report.Ref)))), s_quickRestart);
        var firstChild = NextRefs(report, 1)[0];

        parent.Tell(new Crash("parent bug"));

        report.FishForMessage<string>(s => s == "c:stop:1");
        report.ExpectMsg<string>(s => s == "p:stop:1"); // children stop before the failed instance's PostStop
        report.ExpectMsg<string>(s => s == "p:start:2");
        var next = report.ReceiveN(2); // the new child's start and its reference, in either order
        Assert.Contains("c:start:1", next);
        Assert.NotSame(firstChild, Assert.Single(next.OfType<ActorRef<ChildMsg>>()));
    }

    [Fact]
    public void Spawn_DuplicateName_ThrowsNamingParentAndName()
    {
        var report = CreateProbe<object>();
        Sys.Spawn("dup", () => new ReportingActor("a", report.Ref));

        var error = Assert.Throws<InvalidOperationException>(() => Sys.Spawn("dup", () => new ReportingActor("b", report.Ref)));

        Assert.Contains("'dup'", error.Message, StringComparison.Ordinal);
        Assert.Contains("/user", error.Message, StringComparison.Ordinal);
    }
}
