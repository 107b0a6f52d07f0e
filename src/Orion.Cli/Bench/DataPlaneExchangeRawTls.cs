// The raw reference of `exchange-*-tls`: what LoopbackTcp is to `exchange-*`, with mutual TLS. N loopback
// connections, each an SslStream pair authenticated with the same node certificates the data plane uses, moving the
// bytes of one coordinator round (each near end sends one buffer, its far end receives it whole and sends one back).
// No framing, no HTTP, no digests, buffers allocated once: the best an SslStream does here, to compare HTTPS with.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Orion.Cli.Bench;

internal sealed class DataPlaneExchangeRawTls : IAsyncDisposable
{
    private readonly SslStream[] _near;
    private readonly SslStream[] _far;
    private readonly byte[] _outbound;
    private readonly byte[] _reply;
    private readonly byte[][] _farReceived;
    private readonly byte[][] _nearReceived;

    private DataPlaneExchangeRawTls(SslStream[] near, SslStream[] far, int bytes)
    {
        _near = near;
        _far = far;
        _outbound = Pattern(bytes, 11);
        _reply = Pattern(bytes, 23);
        _farReceived = near.Select(_ => GC.AllocateUninitializedArray<byte>(bytes)).ToArray();
        _nearReceived = near.Select(_ => GC.AllocateUninitializedArray<byte>(bytes)).ToArray();
    }

    /// <summary>Payload bytes one round moves: every connection carries one buffer each way.</summary>
    public long RoundBytes => 2L * _near.Length * _outbound.Length;

    /// <summary><paramref name="connections"/> pairs; the far ends are <paramref name="identities"/>' server, the near its client.</summary>
    public static async Task<DataPlaneExchangeRawTls> ConnectAsync(int connections, int bytes, DataPlaneExchangeIdentities identities)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(connections);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        ArgumentNullException.ThrowIfNull(identities);
        var near = new List<SslStream>();
        var far = new List<SslStream>();
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(connections);
            for (int i = 0; i < connections; i++)
            {
                // Connect then accept, one at a time, so near[i] and far[i] are the two ends of one connection.
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(listener.LocalEndPoint!).ConfigureAwait(false);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                var client = new SslStream(new NetworkStream(socket, ownsSocket: true));
                near.Add(client);
                var server = new SslStream(new NetworkStream(await listener.AcceptAsync().ConfigureAwait(false), ownsSocket: true));
                far.Add(server);
                string? refused = null;
                await Task.WhenAll(
                    server.AuthenticateAsServerAsync(identities.Server.ServerOptions(r => refused = r)),
                    client.AuthenticateAsClientAsync(identities.Client.ClientOptions("127.0.0.1", r => refused = r))).ConfigureAwait(false);
                if (refused is not null) throw new InvalidOperationException($"raw TLS reference: the handshake refused a certificate: {refused}");
            }
            return new DataPlaneExchangeRawTls([.. near], [.. far], bytes);
        }
        catch
        {
            foreach (var s in near.Concat(far)) await s.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>One round: every connection at once, the far end replying as soon as its buffer is complete.</summary>
    public void Round() => Task.WhenAll(Enumerable.Range(0, _near.Length).Select(PairAsync)).GetAwaiter().GetResult();

    /// <summary>Runs a round after clearing the receive buffers and checks every byte arrived as sent, both ways.</summary>
    public void CheckRound()
    {
        foreach (var b in _farReceived.Concat(_nearReceived)) Array.Clear(b);
        Round();
        for (int i = 0; i < _near.Length; i++)
        {
            Same(_outbound, _farReceived[i], $"connection {i}, outbound");
            Same(_reply, _nearReceived[i], $"connection {i}, reply");
        }
    }

    private async Task PairAsync(int i)
    {
        var far = FarAsync(i);
        await _near[i].WriteAsync(_outbound).ConfigureAwait(false);
        await _near[i].ReadExactlyAsync(_nearReceived[i]).ConfigureAwait(false);
        await far.ConfigureAwait(false);
    }

    private async Task FarAsync(int i)
    {
        await _far[i].ReadExactlyAsync(_farReceived[i]).ConfigureAwait(false);
        await _far[i].WriteAsync(_reply).ConfigureAwait(false);
    }

    private static void Same(byte[] sent, byte[] received, string what)
    {
        int prefix = sent.AsSpan().CommonPrefixLength(received);
        if (prefix != sent.Length)
            throw new InvalidOperationException($"raw TLS {what}: received bytes differ from the sent ones at byte {prefix:N0} of {sent.Length:N0}");
    }

    private static byte[] Pattern(int bytes, int seed)
    {
        var b = GC.AllocateUninitializedArray<byte>(bytes);
        for (int i = 0; i < b.Length; i++) b[i] = (byte)(i * seed + (i >> 12));
        return b;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _near.Concat(_far)) await s.DisposeAsync().ConfigureAwait(false);
    }
}
