// Shared setup for link tests: options with a fixed secret, a listener whose accepted links land in a channel, raw peers.
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Orion.Actors.Remote;

namespace Orion.Actors.Tests.Remote;

internal static class LinkKit
{
    /// <summary>Generous: a slow shared machine must never flake. Tests wait on signals, this only bounds a hang.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];
    public static readonly byte[] OtherSecret = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 11))];

    public static LinkOptions Options(string name, TlsMode tls = TlsMode.Off, byte[]? secret = null) =>
        new() { NodeName = name, Secret = secret ?? Secret, Tls = tls, HandshakeTimeout = Timeout };

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task Within(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> Within<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Timeout);
}

/// <summary>A listener on 127.0.0.1:0 whose accepted links are queued; disposes everything it accepted.</summary>
internal sealed class TestListener : IAsyncDisposable
{
    readonly Channel<Link> _accepted = Channel.CreateUnbounded<Link>();
    int _acceptedCount;

    public TestListener(LinkOptions options, IPEndPoint? endpoint = null)
    {
        Listener = LinkListener.Start(endpoint ?? new IPEndPoint(IPAddress.Loopback, 0), options, link =>
        {
            Interlocked.Increment(ref _acceptedCount);
            _accepted.Writer.TryWrite(link);
            return Task.CompletedTask;
        }, Log.Log);
    }

    public LinkListener Listener { get; }
    public LogProbe Log { get; } = new();
    public int Port => Listener.LocalEndPoint.Port;

    /// <summary>How many links reached the application's onAccepted.</summary>
    public int AcceptedCount => Volatile.Read(ref _acceptedCount);

    public Task<Link> NextAcceptedAsync() => _accepted.Reader.ReadAsync().AsTask().WaitAsync(LinkKit.Timeout);

    public Task<Link> ConnectAsync(LinkOptions options) => LinkClient.ConnectAsync("127.0.0.1", Port, options).WaitAsync(LinkKit.Timeout);

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        while (_accepted.Reader.TryRead(out var link)) await link.DisposeAsync();
    }
}

/// <summary>A raw TCP peer for feeding bytes the real client never sends. Optionally authenticated with the internal
/// client handshake first, so the bytes reach a live link rather than the handshake.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    RawPeer(Socket socket, Stream stream)
    {
        Socket = socket;
        Stream = stream;
    }

    public Socket Socket { get; }
    public Stream Stream { get; private set; }

    public static async Task<RawPeer> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(LinkKit.Timeout);
        return new RawPeer(socket, new NetworkStream(socket, ownsSocket: false));
    }

    public static async Task<RawPeer> AuthenticatedAsync(int port, LinkOptions options)
    {
        var peer = await ConnectAsync(port);
        var result = await ClientHandshake.RunAsync(peer.Stream, "127.0.0.1", port, options, peerIsLoopback: true, CancellationToken.None)
            .WaitAsync(LinkKit.Timeout);
        peer.Stream = result.Stream;
        return peer;
    }

    public async Task WriteAsync(byte[] bytes) => await Stream.WriteAsync(bytes).AsTask().WaitAsync(LinkKit.Timeout);

    public async Task WriteFrameAsync(FrameKind kind, byte[] payload) =>
        await FrameWriter.WriteAsync(Stream, kind, payload, CancellationToken.None).AsTask().WaitAsync(LinkKit.Timeout);

    /// <summary>Reads until the other side closes; returns the byte count (so a test can wait for "they hung up").</summary>
    public async Task<long> ReadToEndAsync()
    {
        var buffer = new byte[4096];
        long total = 0;
        try
        {
            int n;
            while ((n = await Stream.ReadAsync(buffer).AsTask().WaitAsync(LinkKit.Timeout)) > 0) total += n;
        }
        catch (IOException)
        {
            // A reset also means they hung up.
        }
        return total;
    }

    public ValueTask DisposeAsync()
    {
        Socket.Dispose();
        return Stream.DisposeAsync();
    }
}
