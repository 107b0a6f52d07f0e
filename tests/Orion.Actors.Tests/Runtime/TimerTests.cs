// Timers: ScheduleOnce delivers its message to Self; a timer disposed inside the actor never delivers, even when it
// was already due. Reference: Akka.NET ITimerScheduler.StartSingleTimer / Cancel.
using Orion.TestKit;
using Xunit;

namespace Orion.Actors.Tests.Runtime;

public sealed class TimerTests : TestKitBase
{
    private abstract record TimerMsg;
    private sealed record Arm(TimeSpan CancelledDelay, TimeSpan ControlDelay, bool DisposeWhenDue = false) : TimerMsg;
    private sealed record Tick(string Name) : TimerMsg;

    /// <summary>On Arm: schedules a tick it cancels at once and a control tick it keeps; forwards ticks.</summary>
    private sealed class TimerUser(ActorRef<Tick> report) : Actor<TimerMsg>
    {
        protected override Task ReceiveAsync(TimerMsg message)
        {
            switch (message)
            {
                case Arm arm:
                    var cancelled = Context.ScheduleOnce(arm.CancelledDelay, new Tick("cancelled"));
                    Context.ScheduleOnce(arm.ControlDelay, new Tick("control"));
                    // Blocks this handler until the timer's TimerFired is already queued, so only the loop-side
                    // check can stop the delivery.
                    if (arm.DisposeWhenDue && !SpinWait.SpinUntil(() => ((TimerHandle)cancelled).HasFired, TestTimeouts.Default))
                        report.Tell(new Tick("the cancelled timer never came due"));
                    cancelled.Dispose();
                    break;
                case Tick tick:
                    report.Tell(tick);
                    break;
            }
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void ScheduleOnce_AfterDelay_DeliversToSelf()
    {
        var report = CreateProbe<Tick>();
        Sys.Spawn("timer", () => new ScheduleInPreStart(report.Ref));

        Assert.Equal("hello", report.ExpectMsg<Tick>().Name);
    }

    private sealed class ScheduleInPreStart(ActorRef<Tick> report) : Actor<TimerMsg>
    {
        protected override Task PreStartAsync()
        {
            Context.ScheduleOnce(TimeSpan.FromMilliseconds(20), new Tick("hello"));
            return Task.CompletedTask;
        }

        protected override Task ReceiveAsync(TimerMsg message)
        {
            report.Tell((Tick)message);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void ScheduleOnce_DisposedBeforeDue_NeverDelivers()
    {
        var report = CreateProbe<Tick>();
        var actor = Sys.Spawn("timer", () => new TimerUser(report.Ref));

        actor.Tell(new Arm(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)));

        Assert.Equal("control", report.ExpectMsg<Tick>().Name);
        report.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void ScheduleOnce_DisposedWhenAlreadyDue_NeverDelivers()
    {
        // The timer has fired while the handler still runs, so cancellation must win inside the loop.
        var report = CreateProbe<Tick>();
        var actor = Sys.Spawn("timer", () => new TimerUser(report.Ref));

        for (int i = 0; i < 5; i++)
            actor.Tell(new Arm(TimeSpan.Zero, TimeSpan.Zero, DisposeWhenDue: true));

        Assert.All(report.ReceiveN(5), tick => Assert.Equal("control", tick.Name));
        report.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }
}
