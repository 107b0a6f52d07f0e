// Connects to a LinkListener: TCP connect + handshake under one timeout, and a retrying variant with exponential backoff.
using System.Net.Sockets;
using System.Security.Authentication;

namespace Orion.Actors.Remote;

public static class LinkClient
{
    static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>Connects and runs the handshake within <see cref="LinkOptions.HandshakeTimeout"/>. Throws
    /// <see cref="LinkRefusedException"/> when either side refuses (final), and SocketException / IOException /
    /// TimeoutException / AuthenticationException for connection trouble (worth retrying).</summary>
    public static async Task<Link> ConnectAsync(string host, int port, LinkOptions options, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.HandshakeTimeout);
        try
        {
            LinkSockets.Configure(socket);
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            options.RequireSecretUnlessLoopback(socket.RemoteEndPoint, $"connecting to {host}:{port}");
            var network = new NetworkStream(socket, ownsSocket: false);
            var result = await ClientHandshake.RunAsync(network, host, port, options, LinkSockets.IsLoopback(socket.RemoteEndPoint), timeout.Token)
                .ConfigureAwait(false);
            var link = new Link(socket, result, options);
            link.Start();
            return link;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException(
                $"connecting to {host}:{port} took longer than HandshakeTimeout ({options.HandshakeTimeout.TotalSeconds:0.###} s): " +
                "the coordinator is unreachable, overloaded, or not an Orion node");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Retries <see cref="ConnectAsync"/> on connection failures with exponential backoff (100 ms doubling to
    /// 5 s, each delay jittered to 50-100 %, so restarted workers do not reconnect in lockstep). Refusals and option
    /// errors are rethrown at once; only <paramref name="ct"/> ends the retrying otherwise.</summary>
    public static async Task<Link> ConnectWithRetryAsync(string host, int port, LinkOptions options, Action<string> log, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        var backoff = new Backoff(FirstRetryDelay, MaxRetryDelay, Random.Shared);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await ConnectAsync(host, port, options, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (IsRetryable(e) && !ct.IsCancellationRequested)
            {
                var delay = backoff.Next();
                log($"connecting to {host}:{port} failed (attempt {attempt}): {e.Message}; retrying in {delay.TotalMilliseconds:0} ms");
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
        }
    }

    static bool IsRetryable(Exception e) => e is SocketException or IOException or TimeoutException or AuthenticationException;
}
