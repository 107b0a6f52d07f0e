// A LinkListener on loopback for tests: accepted links queue in a channel, log lines go to a LogProbe.
using System.Net;
using System.Threading.Channels;
using Orion.Actors.Remote;

namespace Orion.Actors.Tests.Remote;

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
