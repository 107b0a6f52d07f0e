// One authenticated connection between two nodes: messages in both directions, heartbeats, and one close reason.
// Split by concern: Link.Send.cs (writing), Link.Loops.cs (read loop, heartbeat + failure detector).
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Orion.Actors.Remote;

/// <summary>A link after a successful handshake. A background loop reads frames into an unbounded inbox and answers
/// heartbeats, so the link stays alive while the application computes; flow control is the protocol layer's job
/// (the cluster's steps are lock-step). Created by <see cref="LinkListener"/> and <see cref="LinkClient"/>.</summary>
public sealed partial class Link : IAsyncDisposable
{
    /// <summary>How long a local close waits for the peer to acknowledge the goodbye before cutting the socket.</summary>
    static readonly TimeSpan GoodbyeTimeout = TimeSpan.FromSeconds(2);

    readonly Socket _socket;
    readonly Stream _stream;
    readonly LinkOptions _options;
    readonly FrameReader _reader;
    readonly Channel<WireMessage> _inbox = Channel.CreateUnbounded<WireMessage>(new UnboundedChannelOptions { SingleWriter = true });
    readonly CancellationTokenSource _lifetime = new();
    readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _closeState;          // 0 open, 1 closed (set once by Close)
    volatile bool _goodbyeSent;
    string? _failure;         // the close reason when the close was a failure; null after a clean close
    Task _readLoop = Task.CompletedTask;
    Task _heartbeatLoop = Task.CompletedTask;
    readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal Link(Socket socket, HandshakeResult handshake, LinkOptions options)
    {
        _socket = socket;
        _stream = handshake.Stream;
        _options = options;
        RemoteName = handshake.RemoteName;
        // A dual-mode client socket reports IPv4 peers as [::ffff:a.b.c.d]; show them as people write them.
        RemoteEndPoint = socket.RemoteEndPoint is IPEndPoint { Address.IsIPv4MappedToIPv6: true } mapped
            ? new IPEndPoint(mapped.Address.MapToIPv4(), mapped.Port)
            : socket.RemoteEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        Encrypted = handshake.Encrypted && _stream is SslStream;
        _reader = new FrameReader(_stream, options.MaxFrameBytes);
        _lastSent = Stopwatch.GetTimestamp();
    }

    /// <summary>The peer's NodeName from the handshake.</summary>
    public string RemoteName { get; }

    public EndPoint RemoteEndPoint { get; }

    /// <summary>True when frames travel over TLS.</summary>
    public bool Encrypted { get; }

    /// <summary>Frame bytes written since the handshake (headers included, TLS overhead not).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Frame bytes read since the handshake (headers included, TLS overhead not).</summary>
    public long BytesReceived => _reader.BytesRead;

    /// <summary>Completes with the close reason: a clean close by either side, the failure detector, a malformed
    /// frame, a dropped connection. Never faults.</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>Test hook: Ping frames received (each one is a heartbeat from the peer).</summary>
    internal long PingsReceived => Interlocked.Read(ref _pingsReceived);

    /// <summary>Test hook: raised on the read loop after each Ping; keep handlers tiny.</summary>
    internal event Action? PingReceived;

    long _pingsReceived;

    internal void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        _heartbeatLoop = Task.Run(HeartbeatLoopAsync);
    }

    /// <summary>The next message; null once the link closed cleanly (by either side) and every received message was
    /// returned. Throws <see cref="LinkClosedException"/> when it closed because of a failure.</summary>
    public async ValueTask<WireMessage?> ReceiveAsync(CancellationToken ct = default)
    {
        while (await _inbox.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            if (_inbox.Reader.TryRead(out var message)) return message;
        }
        var failure = Volatile.Read(ref _failure);
        return failure is null ? null : throw new LinkClosedException(failure);
    }

    /// <summary>Closes cleanly: says goodbye (a Close frame), waits briefly for the peer to hang up, then releases the
    /// socket. The peer's ReceiveAsync returns null rather than throwing.</summary>
    public ValueTask DisposeAsync() => CloseGracefullyAsync("its application closed the link");

    /// <summary>DisposeAsync with the goodbye text the peer will see (the listener says it is shutting down).</summary>
    internal async ValueTask CloseGracefullyAsync(string goodbye)
    {
        if (Volatile.Read(ref _closeState) == 0)
        {
            string reason = LocalCloseReason;
            _goodbyeSent = true;
            if (await SayGoodbyeAsync(goodbye).ConfigureAwait(false))
            {
                try
                {
                    await _readLoop.WaitAsync(GoodbyeTimeout).ConfigureAwait(false); // the peer hangs up once it read the goodbye
                }
                catch (TimeoutException)
                {
                    // It did not: cut the connection anyway.
                }
            }
            Close(reason, failure: false);
        }
        await _released.Task.ConfigureAwait(false);
    }

    /// <summary>The one place a link closes: first caller wins and sets the reason. Aborts pending I/O by disposing the
    /// socket; the stream and buffers are released once the loops and any send in flight have let go of them.</summary>
    void Close(string reason, bool failure)
    {
        if (Interlocked.Exchange(ref _closeState, 1) != 0) return;
        if (failure) Volatile.Write(ref _failure, reason);
        _closeReason = reason;
        _inbox.Writer.TryComplete();
        _lifetime.Cancel();
        _socket.Dispose();
        _ = ReleaseAsync();
        _closed.TrySetResult(reason);
    }

    string? _closeReason;

    string LocalCloseReason => $"closed by this node ('{_options.NodeName}')";

    async Task ReleaseAsync()
    {
        await Task.WhenAll(_readLoop, _heartbeatLoop).ConfigureAwait(false);
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // The socket is already gone; disposing the stream only releases buffers.
        }
        finally
        {
            _reader.Dispose();
            _sendLock.Release();
            _released.TrySetResult();
        }
    }

    LinkClosedException ClosedException(Exception? inner = null)
    {
        string reason = _closeReason ?? "the link is closed";
        return inner is null ? new LinkClosedException(reason) : new LinkClosedException(reason, inner);
    }

    public override string ToString() => $"link to '{RemoteName}' ({RemoteEndPoint}{(Encrypted ? ", TLS" : "")})";
}
