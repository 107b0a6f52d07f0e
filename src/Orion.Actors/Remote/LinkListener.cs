// Accepts links: TCP accept loop, per-connection handshake (with timeout), then hands authenticated links to the application.
// Plain Socket + SslStream rather than Kestrel connection handlers: Orion.Actors may not reference ASP.NET Core, and a
// link needs only accept + TLS + frames; the coordinator host can still run Kestrel for its HTTP endpoints beside this.
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Orion.Actors.Remote;

/// <summary>A listening endpoint for links. Every problem with a peer (refused handshake, timeout, malformed frame,
/// link closed) is logged with the peer's address and never stops the listener. Only authenticated links reach
/// <c>onAccepted</c>. Disposing the listener stops accepting and closes the links it accepted.</summary>
public sealed class LinkListener : IAsyncDisposable
{
    readonly Socket _socket;
    readonly LinkOptions _options;
    readonly Func<Link, Task> _onAccepted;
    readonly Action<string> _log;
    readonly ServerCredentials? _credentials;
    readonly CancellationTokenSource _stop = new();
    readonly ConcurrentDictionary<Task, byte> _handshakes = new();
    readonly ConcurrentDictionary<Link, byte> _links = new();
    Task _acceptLoop = Task.CompletedTask;

    LinkListener(Socket socket, LinkOptions options, Func<Link, Task> onAccepted, Action<string> log, ServerCredentials? credentials)
    {
        _socket = socket;
        _options = options;
        _onAccepted = onAccepted;
        _log = log;
        _credentials = credentials;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>The bound endpoint (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds, listens and starts accepting. <paramref name="log"/> receives one line per notable event
    /// (accepted, refused, handshake failed, link closed); it must be thread-safe.</summary>
    public static LinkListener Start(IPEndPoint endpoint, LinkOptions options, Func<Link, Task> onAccepted, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onAccepted);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        options.RequireSecretUnlessLoopback(endpoint, $"listening on {endpoint}");
        ServerCredentials? credentials = options.Tls == TlsMode.Off ? null
            : options.Certificate is { } certificate ? new ServerCredentials(certificate, owned: false)
            : new ServerCredentials(LinkTls.CreateEphemeralCertificate(), owned: true);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(128);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            credentials?.Dispose();
            throw new IOException($"cannot listen for links on {endpoint}: {e.Message} (another process holds the port, or the address is not this machine's)", e);
        }
        var listener = new LinkListener(socket, options, onAccepted, log, credentials);
        listener._acceptLoop = Task.Run(listener.AcceptLoopAsync);
        return listener;
    }

    async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket peer;
            try
            {
                peer = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A peer that reset before we accepted it, or a transient resource shortage: keep serving the others.
                _log($"accepting a connection on {LocalEndPoint} failed: {e.Message}");
                continue;
            }
            var handshake = HandleAsync(peer);
            _handshakes.TryAdd(handshake, 0);
            _ = handshake.ContinueWith(t => _handshakes.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    async Task HandleAsync(Socket socket)
    {
        EndPoint? peer = null;
        Link link;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            timeout.CancelAfter(_options.HandshakeTimeout);
            try
            {
                peer = socket.RemoteEndPoint;
                LinkSockets.Configure(socket);
                var network = new NetworkStream(socket, ownsSocket: false);
                var result = await ServerHandshake.RunAsync(network, _options, _credentials, peer, timeout.Token).ConfigureAwait(false);
                link = new Link(socket, result, _options);
            }
            catch (Exception e)
            {
                socket.Dispose();
                _log(HandshakeFailure(e, peer, timeout.IsCancellationRequested && !_stop.IsCancellationRequested));
                return;
            }
        }
        _links.TryAdd(link, 0);
        _ = link.Closed.ContinueWith(t =>
        {
            _links.TryRemove(link, out _);
            _log($"link to '{link.RemoteName}' ({peer}) closed: {t.Result}");
        }, TaskScheduler.Default);
        link.Start();
        _log($"accepted '{link.RemoteName}' from {peer} ({(link.Encrypted ? "TLS" : "plaintext")})");
        if (_stop.IsCancellationRequested)
        {
            await link.DisposeAsync().ConfigureAwait(false);
            return;
        }
        _ = RunApplicationAsync(link);
    }

    /// <summary>The application's handler runs untracked (it may live as long as the link); its failure closes only that link.</summary>
    async Task RunApplicationAsync(Link link)
    {
        try
        {
            await _onAccepted(link).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log($"the handler for '{link.RemoteName}' ({link.RemoteEndPoint}) threw {e.GetType().Name}: {e.Message}; closing that link");
            await link.DisposeAsync().ConfigureAwait(false);
        }
    }

    string HandshakeFailure(Exception e, EndPoint? peer, bool timedOut) => e switch
    {
        _ when timedOut => $"handshake with {peer} timed out after {_options.HandshakeTimeout.TotalSeconds:0.###} s " +
            "(HandshakeTimeout; the peer sent nothing or is not an Orion node); connection closed",
        LinkRefusedException refused => $"{refused.Message} [{refused.Reason}]",
        LinkProtocolException protocol => $"handshake with {peer} failed: {protocol.Message}; connection closed",
        AuthenticationException tls => $"TLS handshake with {peer} failed: {tls.Message}; connection closed",
        OperationCanceledException => $"handshake with {peer} abandoned: the listener is stopping",
        _ => $"handshake with {peer} failed: {e.GetType().Name}: {e.Message}; connection closed",
    };

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_handshakes.Keys).ConfigureAwait(false);
        await Task.WhenAll(_links.Keys.Select(l => l.CloseGracefullyAsync("its listener is shutting down").AsTask())).ConfigureAwait(false);
        _credentials?.Dispose();
        _stop.Dispose();
    }
}
