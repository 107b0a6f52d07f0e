// Heartbeats, the failure detector and reconnecting: all waits are on signals (ping counts, log lines, Closed), never on time.
using System.Net;
using System.Net.Sockets;
using Orion.Actors.Remote;
using Xunit;

namespace Orion.Actors.Tests.Remote;

[Collection(LinkTimingCollection.Name)]
public sealed class LinkLivenessTests
{
    static LinkOptions Fast(string name) =>
        LinkKit.Options(name) with { HeartbeatInterval = TimeSpan.FromMilliseconds(50), FailureTimeout = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task Heartbeats_IdleLinkNobodyReceiving_StaysOpenAcrossSeveralFailureTimeouts()
    {
        await using var server = new TestListener(Fast("coordinator"));
        await using var client = await server.ConnectAsync(Fast("worker"));
        var accepted = await server.NextAcceptedAsync();
        // Each side sends at most one Ping per HeartbeatInterval (a Ping is a send), so 160 Pings received in total
        // prove at least 79 intervals = 3.95 s = about four FailureTimeouts went by; neither side calls ReceiveAsync.
        const long Needed = 160;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (client.PingsReceived + accepted.PingsReceived >= Needed) enough.TrySetResult();
        }
        client.PingReceived += Check;
        accepted.PingReceived += Check;
        Check();

        var first = await Task.WhenAny(enough.Task, client.Closed, accepted.Closed).Within();

        if (first != enough.Task) Assert.Fail($"the link closed before {Needed} pings: {await (Task<string>)first}");
        Assert.False(client.Closed.IsCompleted);
        Assert.False(accepted.Closed.IsCompleted);
    }

    [Fact]
    public async Task FailureDetector_ServerGoesSilentAfterHandshake_ClientLinkClosesAsFailed()
    {
        using var tcp = new TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var silentServer = Task.Run(async () =>
        {
            using var socket = await tcp.AcceptSocketAsync();
            await using var network = new NetworkStream(socket, ownsSocket: false);
            await ServerHandshake.RunAsync(network, Fast("hung-coordinator"), null, socket.RemoteEndPoint, CancellationToken.None);
            await hold.Task; // then neither reads nor writes: a hung process with its socket still open
        });
        try
        {
            await using var client = await LinkClient.ConnectAsync("127.0.0.1", ((IPEndPoint)tcp.LocalEndpoint).Port, Fast("worker")).Within();

            var reason = await client.Closed.Within();

            Assert.Contains("failure detector: nothing received from 'hung-coordinator'", reason);
            var e = await Assert.ThrowsAsync<LinkClosedException>(() => client.ReceiveAsync().Within());
            Assert.Equal(reason, e.Message);
            await Assert.ThrowsAsync<LinkClosedException>(() => client.SendAsync(new WireMessage("Late", [], [])));
        }
        finally
        {
            hold.TrySetResult();
            await silentServer.Within();
        }
    }

    [Fact]
    public async Task FailureDetector_ClientGoesSilentAfterHandshake_ListenerClosesAndLogsIt()
    {
        await using var server = new TestListener(Fast("coordinator"));
        await using var raw = await RawPeer.AuthenticatedAsync(server.Port, Fast("hung-worker"));
        var accepted = await server.NextAcceptedAsync();

        Assert.Contains("failure detector", await accepted.Closed.Within());
        await server.Log.WaitForAsync("link to 'hung-worker'", "failure detector");
    }

    [Fact]
    public async Task Closed_PeerSocketVanishesWithoutGoodbye_FailsWithReason()
    {
        await using var server = new TestListener(LinkKit.Options("coordinator"));
        var raw = await RawPeer.AuthenticatedAsync(server.Port, LinkKit.Options("crashing-worker"));
        var accepted = await server.NextAcceptedAsync();

        await raw.DisposeAsync();

        Assert.Contains("without a goodbye", await accepted.Closed.Within());
        await Assert.ThrowsAsync<LinkClosedException>(() => accepted.ReceiveAsync().Within());
    }

    [Fact]
    public async Task ListenerDispose_ClosesAcceptedLinksCleanly()
    {
        var server = new TestListener(LinkKit.Options("coordinator"));
        await using var client = await server.ConnectAsync(LinkKit.Options("worker"));
        await server.NextAcceptedAsync();

        await server.DisposeAsync();

        Assert.Null(await client.ReceiveAsync().Within());
        Assert.Contains("'coordinator' said goodbye: its listener is shutting down", await client.Closed.Within());
    }

    [Fact]
    public async Task ConnectWithRetryAsync_ListenerAppearsAfterFirstFailure_Connects()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port; // free now that it stops; nothing listens there
        }
        var log = new LogProbe();
        var connecting = LinkClient.ConnectWithRetryAsync("127.0.0.1", port, LinkKit.Options("worker"), log.Log);

        await log.WaitForAsync($"127.0.0.1:{port}", "failed (attempt 1)", "retrying in");
        await using var server = new TestListener(LinkKit.Options("coordinator"), new IPEndPoint(IPAddress.Loopback, port));
        await using var link = await connecting.Within();

        Assert.Equal("coordinator", link.RemoteName);
        Assert.Equal("worker", (await server.NextAcceptedAsync()).RemoteName);
    }

    [Fact]
    public async Task ConnectWithRetryAsync_Refused_RethrowsAtOnceWithoutRetrying()
    {
        await using var server = new TestListener(LinkKit.Options("coordinator"));
        var log = new LogProbe();

        var e = await Assert.ThrowsAsync<LinkRefusedException>(() =>
            LinkClient.ConnectWithRetryAsync("127.0.0.1", server.Port, LinkKit.Options("worker", secret: LinkKit.OtherSecret), log.Log).Within());

        Assert.Equal(RefusalReason.WrongSecret, e.Reason);
        Assert.Empty(log.Lines);
    }

    [Fact]
    public async Task ConnectWithRetryAsync_Cancelled_StopsRetrying()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var log = new LogProbe();
        using var cts = new CancellationTokenSource();
        var connecting = LinkClient.ConnectWithRetryAsync("127.0.0.1", port, LinkKit.Options("worker"), log.Log, cts.Token);
        await log.WaitForAsync("failed (attempt 2)");

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting.Within());
    }

    [Fact]
    public void Backoff_Next_DoublesFrom100MsTo5sWithJitterInUpperHalf()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), new Random(7));
        double[] bases = [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000];
        foreach (double b in bases)
        {
            double ms = backoff.Next().TotalMilliseconds;
            Assert.InRange(ms, b / 2, b);
        }
    }
}
