// Mailbox semantics: order per sender, one handler at a time even when handlers await, dead letters.
// Reference: Akka.NET message ordering guarantee (per sender-receiver pair) and actor single-threadedness.
using Orion.TestKit;
using Xunit;

namespace Orion.Actors.Tests.Runtime;

public sealed class MessagingTests : TestKitBase
{
    private sealed record Numbered(int Sender, int Seq);

    [Fact]
    public void Tell_ManyMessagesFromOneSender_ArriveInSendOrder()
    {
        var probe = CreateProbe<Numbered>();
        var forwarder = Sys.Spawn("forwarder", () => new Forwarder<Numbered>(probe.Ref));

        for (int i = 0; i < 1000; i++)
            forwarder.Tell(new Numbered(0, i));

        Assert.Equal(Enumerable.Range(0, 1000), probe.ReceiveN(1000).Select(m => m.Seq));
    }

    [Fact]
    public async Task Tell_ConcurrentSenders_KeepEachSendersOrder()
    {
        var probe = CreateProbe<Numbered>();
        var forwarder = Sys.Spawn("forwarder", () => new Forwarder<Numbered>(probe.Ref));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(sender => Task.Run(() =>
        {
            for (int i = 0; i < 500; i++)
                forwarder.Tell(new Numbered(sender, i));
        })));

        var received = probe.ReceiveN(2000);
        foreach (var group in received.GroupBy(m => m.Sender))
            Assert.Equal(Enumerable.Range(0, 500), group.Select(m => m.Seq));
        Assert.Equal(4, received.Select(m => m.Sender).Distinct().Count());
    }

    private abstract record LoadMsg;
    private sealed record Load : LoadMsg;
    private sealed record Report(ActorRef<int[]> ReplyTo) : LoadMsg;

    /// <summary>Counts how many of its handlers run at the same time, yielding mid-handler to invite overlap.</summary>
    private sealed class OverlapDetector : Actor<LoadMsg>
    {
        private int _active;
        private int _maxActive;
        private int _handled;

        protected override async Task ReceiveAsync(LoadMsg message)
        {
            int now = Interlocked.Increment(ref _active);
            _maxActive = Math.Max(_maxActive, now);
            for (int i = 0; i < 3; i++)
                await Task.Yield();
            if (message is Report report)
                report.ReplyTo.Tell([_maxActive, _handled]);
            _handled++;
            Interlocked.Decrement(ref _active);
        }
    }

    [Fact]
    public async Task ReceiveAsync_AsyncHandlersUnderConcurrentTells_NeverOverlap()
    {
        var detector = Sys.Spawn("detector", () => new OverlapDetector());

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 200; i++)
                detector.Tell(new Load());
        })));
        var result = await detector.Ask<LoadMsg, int[]>(reply => new Report(reply), TestTimeouts.Default);

        Assert.Equal(1, result[0]);   // never two handlers at once
        Assert.Equal(800, result[1]); // and every message before the report was handled
    }

    [Fact]
    public async Task Tell_ToStoppedActor_CountsDeadLettersWithoutThrowing()
    {
        var probe = CreateProbe<Numbered>();
        var forwarder = Sys.Spawn("forwarder", () => new Forwarder<Numbered>(probe.Ref));
        Sys.Stop(forwarder);
        await Sys.WhenStopped(forwarder).WaitAsync(TestTimeouts.Default);
        long before = Sys.DeadLetters;

        forwarder.Tell(new Numbered(0, 1));
        forwarder.Tell(new Numbered(0, 2));

        Assert.Equal(before + 2, Sys.DeadLetters);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Tell_Null_ThrowsArgumentNull()
    {
        var probe = CreateProbe<Numbered>();

        Assert.Throws<ArgumentNullException>(() => probe.Ref.Tell(null!));
    }
}
