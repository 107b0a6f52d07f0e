// Behaviour switching: Become changes how the next messages are handled; a restart returns to ReceiveAsync.
// Reference: Akka.NET Become (explicit state methods).
using Orion.TestKit;
using Xunit;

namespace Orion.Actors.Tests.Runtime;

public sealed class BecomeTests : TestKitBase
{
    /// <summary>Starts "closed"; "open" switches to the open behaviour, "close" back; "crash" throws.</summary>
    private sealed class Door(ActorRef<string> report) : Actor<string>
    {
        protected override Task ReceiveAsync(string message) => Closed(message);

        private Task Closed(string message)
        {
            if (message == "open")
                Context.Become(Open);
            report.Tell($"closed got {message}");
            return Task.CompletedTask;
        }

        private Task Open(string message)
        {
            if (message == "crash")
                throw new InvalidOperationException("hinge broke");
            if (message == "close")
                Context.Become(Closed);
            report.Tell($"open got {message}");
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Become_SwitchesBehaviourForFollowingMessages()
    {
        var report = CreateProbe<string>();
        var door = Sys.Spawn("door", () => new Door(report.Ref));

        foreach (var message in new[] { "knock", "open", "knock", "close", "knock" })
            door.Tell(message);

        Assert.Equal(
            ["closed got knock", "closed got open", "open got knock", "open got close", "closed got knock"],
            report.ReceiveN(5));
    }

    [Fact]
    public void Become_AfterRestart_BackToInitialBehaviour()
    {
        var report = CreateProbe<string>();
        var door = Sys.Spawn("door", () => new Door(report.Ref), SupervisorStrategy.Default);

        foreach (var message in new[] { "open", "crash", "knock" })
            door.Tell(message);

        Assert.Equal(["closed got open", "closed got knock"], report.ReceiveN(2));
    }
}
