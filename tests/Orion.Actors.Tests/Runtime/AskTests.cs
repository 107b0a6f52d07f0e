// Request/response: Ask completes with the first reply, times out naming target, message type and timeout, and a
// reply after the timeout is a dead letter. Reference: Akka.NET Ask / AskTimeoutException.
using Orion.TestKit;
using Xunit;

namespace Orion.Actors.Tests.Runtime;

public sealed class AskTests : TestKitBase
{
    private abstract record EchoMsg;
    private sealed record Ping(string Text, ActorRef<Pong> ReplyTo) : EchoMsg;
    private sealed record Hold(string Text, ActorRef<Pong> ReplyTo) : EchoMsg;
    private sealed record Release : EchoMsg;
    private sealed record Pong(string Text);

    /// <summary>Answers Ping at once; keeps Hold's reply reference until Release, then answers and reports.</summary>
    private sealed class Echo(ActorRef<string> report) : Actor<EchoMsg>
    {
        private Hold? _held;

        protected override Task ReceiveAsync(EchoMsg message)
        {
            switch (message)
            {
                case Ping ping:
                    ping.ReplyTo.Tell(new Pong(ping.Text));
                    break;
                case Hold hold:
                    _held = hold;
                    report.Tell("held");
                    break;
                case Release when _held is { } held:
                    held.ReplyTo.Tell(new Pong(held.Text));
                    report.Tell("released");
                    break;
            }
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Ask_TargetReplies_ReturnsReply()
    {
        var echo = Sys.Spawn("echo", () => new Echo(CreateProbe<string>().Ref));

        var pong = await echo.Ask<EchoMsg, Pong>(reply => new Ping("hello", reply), TestTimeouts.Default);

        Assert.Equal("hello", pong.Text);
    }

    [Fact]
    public async Task Ask_NoReply_ThrowsAskTimeoutNamingTargetTypeAndTimeout()
    {
        var probe = CreateProbe<string>();
        var echo = Sys.Spawn("echo", () => new Echo(probe.Ref));
        var timeout = TimeSpan.FromMilliseconds(200);

        var error = await Assert.ThrowsAsync<AskTimeoutException>(
            () => echo.Ask<EchoMsg, Pong>(reply => new Hold("late", reply), timeout));

        Assert.Equal(echo.Path, error.TargetPath);
        Assert.Equal(typeof(Hold), error.MessageType);
        Assert.Equal(timeout, error.Timeout);
        Assert.Contains(echo.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Hold), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_ReplyAfterTimeout_CountsAsDeadLetter()
    {
        var probe = CreateProbe<string>();
        var echo = Sys.Spawn("echo", () => new Echo(probe.Ref));
        await Assert.ThrowsAsync<AskTimeoutException>(
            () => echo.Ask<EchoMsg, Pong>(reply => new Hold("late", reply), TimeSpan.FromMilliseconds(100)));
        probe.ExpectMsg<string>(s => s == "held");
        long before = Sys.DeadLetters;

        echo.Tell(new Release());
        probe.ExpectMsg<string>(s => s == "released");

        Assert.Equal(before + 1, Sys.DeadLetters);
    }

    [Fact]
    public async Task Ask_Cancelled_ThrowsOperationCanceled()
    {
        var echo = Sys.Spawn("echo", () => new Echo(CreateProbe<string>().Ref));
        using var cancel = new CancellationTokenSource();
        var ask = echo.Ask<EchoMsg, Pong>(reply => new Hold("never", reply), TestTimeouts.Default, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
    }
}
