// The raw reference of `exchange-*-tls`: what LoopbackTcp is to `exchange-*`, with mutual TLS. N loopback
// connections, each an SslStream pair authenticated with the same node certificates the data plane uses, moving the
// bytes of one coordinator round (each near end sends one buffer, its far end receives it whole and sends one back).
// No framing, no HTTP, no digests, buffers allocated once: the best an SslStream does here, to compare HTTPS with.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Orion.Cli.Bench;

internal sealed class DataPlaneExchangeRawTls : LoopbackPairs<SslStream>, IAsyncDisposable
{
    private DataPlaneExchangeRawTls(SslStream[] near, SslStream[] far, int bytes) : base(near, far, bytes) { }

    protected override string Label => "raw TLS";

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

    protected override async Task SendAllAsync(SslStream end, byte[] buffer) => await end.WriteAsync(buffer).ConfigureAwait(false);

    protected override async Task ReceiveAllAsync(SslStream end, byte[] buffer) => await end.ReadExactlyAsync(buffer).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        foreach (var s in Ends) await s.DisposeAsync().ConfigureAwait(false);
    }
}
