// A raw TCP peer for link tests: writes bytes and frames the real client never would, optionally after a real handshake.
using System.Net;
using System.Net.Sockets;
using Orion.Actors.Remote;

namespace Orion.Actors.Tests.Remote;

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
