// The sending side of one link: Post encodes the message and queues it, so it never blocks the actor that posts (a
// LinkProxy), and one pump per link keeps the order. A send failure closes the link; the read side reports the loss.
using System.Threading.Channels;

namespace Orion.Actors.Remote;

public sealed class LinkSender<T> where T : class
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Link _link;
    private readonly Func<T, WireMessage> _encode;

    private readonly Action<string>? _log;

    public LinkSender(Link link, string path, Func<T, WireMessage> encode, Action<string>? log = null)
    {
        _log = log;
        _link = link ?? throw new ArgumentNullException(nameof(link));
        _encode = encode ?? throw new ArgumentNullException(nameof(encode));
        Path = path;
        Pump = Task.Run(PumpAsync);
    }

    public string Path { get; }

    /// <summary>Completes when the queue is closed and drained, or the link failed.</summary>
    public Task Pump { get; }

    public void Post(T message) => _queue.Writer.TryWrite(message);

    /// <summary>No more messages: the pump sends what is queued, then completes.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var m in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
                await _link.SendAsync(_encode(m)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever failed (the socket, or encoding a message), the link is unusable: close it, so the other side
            // and this node's read loop see the worker or coordinator leave instead of a silent stall.
            if (ex is not (IOException or ObjectDisposedException or LinkClosedException or OperationCanceledException or System.Net.Sockets.SocketException))
                _log?.Invoke($"sending to {Path} failed, closing the link: {ex.GetType().Name}: {ex.Message}");
            _queue.Writer.TryComplete();
            await _link.DisposeAsync().ConfigureAwait(false);
        }
    }
}
