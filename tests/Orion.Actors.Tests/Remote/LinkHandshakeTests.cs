// The versioned handshake: TLS negotiation, secret proofs in both directions, refusals that never reach the application.
using System.Net;
using Orion.Actors.Remote;
using Xunit;

namespace Orion.Actors.Tests.Remote;

public sealed class LinkHandshakeTests
{
    [Theory]
    [InlineData(TlsMode.On, TlsMode.On, true)]
    [InlineData(TlsMode.Off, TlsMode.Off, false)]
    [InlineData(TlsMode.Auto, TlsMode.Auto, false)] // loopback: Auto means plaintext
    [InlineData(TlsMode.Auto, TlsMode.On, true)]    // a loopback peer may still choose TLS
    public async Task ConnectAsync_TlsModes_EncryptedFlagOnBothSides(TlsMode serverTls, TlsMode clientTls, bool encrypted)
    {
        await using var server = new TestListener(LinkKit.Options("coordinator", serverTls));
        await using var client = await server.ConnectAsync(LinkKit.Options("worker", clientTls));
        var accepted = await server.NextAcceptedAsync();

        Assert.Equal(encrypted, client.Encrypted);
        Assert.Equal(encrypted, accepted.Encrypted);
        Assert.Equal("coordinator", client.RemoteName);
        Assert.Equal("worker", accepted.RemoteName);
        Assert.True(IPAddress.IsLoopback(((IPEndPoint)client.RemoteEndPoint).Address));
        await server.Log.WaitForAsync("accepted 'worker'", encrypted ? "TLS" : "plaintext");
    }

    [Theory]
    [InlineData(TlsMode.On, TlsMode.Off, "requires TLS")]
    [InlineData(TlsMode.Off, TlsMode.On, "runs without TLS")]
    public async Task ConnectAsync_TlsMismatch_RefusedWithTlsMismatch(TlsMode serverTls, TlsMode clientTls, string expected)
    {
        await using var server = new TestListener(LinkKit.Options("coordinator", serverTls));

        var e = await Assert.ThrowsAsync<LinkRefusedException>(() => server.ConnectAsync(LinkKit.Options("worker", clientTls)));

        Assert.Equal(RefusalReason.TlsMismatch, e.Reason);
        Assert.Contains(expected, e.Message);
        await server.Log.WaitForAsync("refused", expected);
        Assert.Equal(0, server.AcceptedCount);
    }

    [Theory]
    [InlineData(TlsMode.Off)]
    [InlineData(TlsMode.On)]
    public async Task ConnectAsync_WrongSecret_ClientRefusedAndServerLogsWithoutAccepting(TlsMode tls)
    {
        await using var server = new TestListener(LinkKit.Options("coordinator", tls));

        var e = await Assert.ThrowsAsync<LinkRefusedException>(() => server.ConnectAsync(LinkKit.Options("worker", tls, LinkKit.OtherSecret)));

        Assert.Equal(RefusalReason.WrongSecret, e.Reason);
        Assert.Contains($"127.0.0.1:{server.Port}", e.Message);
        Assert.Contains("wrong cluster secret (check --secret-file on both sides)", e.Message);
        var line = await server.Log.WaitForAsync("'worker'", "127.0.0.1", "wrong cluster secret");
        Assert.Contains("WrongSecret", line);
        Assert.Equal(0, server.AcceptedCount);
    }

    [Fact]
    public async Task Server_ClientProofWrong_RefusesWithWrongSecret()
    {
        // A client that skips checking the server and sends a made-up proof: the server's own check must refuse it.
        await using var server = new TestListener(LinkKit.Options("coordinator"));
        await using var raw = await RawPeer.ConnectAsync(server.Port);
        await raw.WriteFrameAsync(FrameKind.Hello, Handshake.Hello(ProtocolVersion.Current, tls: false).ToArray());
        var reader = new FrameReader(raw.Stream, Handshake.MaxFrameBytes);
        Assert.Equal(FrameKind.Welcome, (await reader.ReadAsync(CancellationToken.None).Within())!.Value.Kind);
        await raw.WriteFrameAsync(FrameKind.Identify, Handshake.Identify("forger", hasSecret: true, new byte[32]).ToArray());
        Assert.Equal(FrameKind.Challenge, (await reader.ReadAsync(CancellationToken.None).Within())!.Value.Kind);

        await raw.WriteFrameAsync(FrameKind.Proof, new byte[32]);

        var refusal = (await reader.ReadAsync(CancellationToken.None).Within())!.Value;
        Assert.Equal(FrameKind.Refuse, refusal.Kind);
        Assert.Equal((byte)RefusalReason.WrongSecret, refusal.Payload.Span[0]);
        await server.Log.WaitForAsync("refused worker 'forger'", "wrong cluster secret");
        Assert.Equal(0, server.AcceptedCount);
    }

    [Fact]
    public async Task ConnectAsync_ClientWithoutSecretToServerWithSecret_RefusedSecretMissing()
    {
        await using var server = new TestListener(LinkKit.Options("coordinator"));

        var e = await Assert.ThrowsAsync<LinkRefusedException>(() => server.ConnectAsync(LinkKit.Options("worker", secret: [])));

        Assert.Equal(RefusalReason.SecretMissing, e.Reason);
        Assert.Contains("requires the cluster secret", e.Message);
        await server.Log.WaitForAsync("refused worker 'worker'", "SecretMissing");
        Assert.Equal(0, server.AcceptedCount);
    }

    [Fact]
    public async Task ConnectAsync_ServerWithoutSecret_ClientRefusesTheServer()
    {
        await using var server = new TestListener(LinkKit.Options("coordinator", secret: []));

        var e = await Assert.ThrowsAsync<LinkRefusedException>(() => server.ConnectAsync(LinkKit.Options("worker")));

        Assert.Equal(RefusalReason.SecretMissing, e.Reason);
        Assert.Contains("runs without a cluster secret", e.Message);
        await server.Log.WaitForAsync("'worker'", "refused this node", "has a cluster secret but this coordinator has none");
        Assert.Equal(0, server.AcceptedCount);
    }

    [Fact]
    public async Task ConnectAsync_NoSecretOnEitherSideOverLoopback_Connects()
    {
        await using var server = new TestListener(LinkKit.Options("coordinator", secret: []));
        await using var client = await server.ConnectAsync(LinkKit.Options("worker", secret: []));

        Assert.Equal("worker", (await server.NextAcceptedAsync()).RemoteName);
    }

    [Fact]
    public async Task ConnectAsync_ProtocolVersionMismatch_RefusedWithVersionMismatch()
    {
        await using var server = new TestListener(LinkKit.Options("coordinator"));
        await using var raw = await RawPeer.ConnectAsync(server.Port);

        var e = await Assert.ThrowsAsync<LinkRefusedException>(() =>
            ClientHandshake.RunAsync(raw.Stream, "127.0.0.1", server.Port, LinkKit.Options("worker"), true, CancellationToken.None, version: 2).Within());

        Assert.Equal(RefusalReason.VersionMismatch, e.Reason);
        Assert.Contains("version 2 is not supported", e.Message);
        await server.Log.WaitForAsync("VersionMismatch");
        Assert.Equal(0, server.AcceptedCount);
    }

    [Fact]
    public async Task ConnectAsync_PortIsNotAnOrionNode_RefusedNotAnOrionPeer()
    {
        // A server that answers like HTTP: its first bytes read as an absurd frame length.
        using var tcp = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        var answer = Task.Run(async () =>
        {
            using var socket = await tcp.AcceptSocketAsync();
            await socket.SendAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray());
            try
            {
                while (await socket.ReceiveAsync(new byte[64]) > 0) { } // hold the connection until the client hangs up
            }
            catch (System.Net.Sockets.SocketException)
            {
                // It hung up with our answer unread: a reset.
            }
        });

        var e = await Assert.ThrowsAsync<LinkRefusedException>(() =>
            LinkClient.ConnectAsync("127.0.0.1", ((IPEndPoint)tcp.LocalEndpoint).Port, LinkKit.Options("worker")).Within());

        Assert.Equal(RefusalReason.NotAnOrionPeer, e.Reason);
        Assert.Contains("not an Orion link endpoint", e.Message);
        await answer.Within();
    }

    [Fact]
    public async Task Listener_SilentPeer_ClosedAfterHandshakeTimeout()
    {
        await using var server = new TestListener(LinkKit.Options("coordinator") with { HandshakeTimeout = TimeSpan.FromMilliseconds(200) });
        await using var silent = await RawPeer.ConnectAsync(server.Port);

        Assert.Equal(0, await silent.ReadToEndAsync()); // the listener hangs up without a word
        await server.Log.WaitForAsync("timed out", "HandshakeTimeout");
        Assert.Equal(0, server.AcceptedCount);
    }

    [Fact]
    public async Task ConnectAsync_ServerNeverAnswers_ThrowsTimeoutExceptionWhichIsRetryable()
    {
        // The kernel completes the TCP connect from the backlog; nobody ever reads the Hello.
        using var tcp = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        var options = LinkKit.Options("worker") with { HandshakeTimeout = TimeSpan.FromMilliseconds(300) };

        var e = await Assert.ThrowsAsync<TimeoutException>(() =>
            LinkClient.ConnectAsync("127.0.0.1", ((IPEndPoint)tcp.LocalEndpoint).Port, options).Within());

        Assert.Contains("HandshakeTimeout", e.Message);
    }

    [Fact]
    public void Start_EmptySecretOnNonLoopbackAddress_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            LinkListener.Start(new IPEndPoint(IPAddress.Any, 0), LinkKit.Options("coordinator", secret: []), _ => Task.CompletedTask, _ => { }));
        Assert.Contains("only allowed on loopback", e.Message);
    }

    [Theory]
    [InlineData("", "NodeName")]
    [InlineData("short-secret", "Secret")]
    public void Start_InvalidOptions_ThrowsNamingTheOption(string problem, string option)
    {
        var options = problem == "" ? LinkKit.Options("") : LinkKit.Options("coordinator", secret: new byte[5]);
        var e = Assert.Throws<ArgumentException>(() =>
            LinkListener.Start(new IPEndPoint(IPAddress.Loopback, 0), options, _ => Task.CompletedTask, _ => { }));
        Assert.Contains($"LinkOptions.{option}", e.Message);
    }
}
