// The coordinator's side of a fleet: accepts authenticated links from `orion worker` processes; each becomes a
// LinkProxy actor that the coordinator treats as the worker (commands travel over the link) and whose replies come
// back as messages to the coordinator. A link that closes, fails its heartbeats or sends a malformed message is a
// worker that left: the coordinator is told why, the proxy stops, and its shards are reassigned.
using System.Collections.Concurrent;
using System.Net;
using Akka.Actor;
using Orion.Actors.Protocol;
using Orion.Actors.Remote;

namespace Orion.Coordinator.Hosting;

public sealed class FleetListener : IAsyncDisposable
{
    private readonly ConcurrentDictionary<LinkSender<WorkerCommand>, Link> _links = new();
    private readonly LinkListener _listener;
    private readonly ActorSystem _system;
    private readonly IActorRef _coordinator;
    private readonly Action<string> _log;
    private long _connections;

    public FleetListener(IPEndPoint endpoint, LinkOptions options, ActorSystem system, IActorRef coordinator, Action<string> log)
    {
        _system = system ?? throw new ArgumentNullException(nameof(system));
        _coordinator = coordinator ?? throw new ArgumentNullException(nameof(coordinator));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _listener = LinkListener.Start(endpoint, options, ServeAsync, log);
    }

    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    private async Task ServeAsync(Link link)
    {
        var name = link.RemoteName;
        var sender = new LinkSender<WorkerCommand>(link, $"{name}@{link.RemoteEndPoint}", ProtocolCodec.Encode, _log);
        _links[sender] = link;
        // Actor names must be unique and URI-safe; the worker's own name travels in the messages.
        var proxy = _system.ActorOf(LinkProxy<WorkerCommand>.Props(sender.Post), $"worker-link-{Interlocked.Increment(ref _connections)}");
        _coordinator.Tell(new WorkerJoined(name, proxy, link.RemoteEndPoint.ToString() ?? "?", () => link.BytesSent + link.BytesReceived));
        string reason = "the worker closed the link";
        try
        {
            while (await link.ReceiveAsync().ConfigureAwait(false) is { } m) _coordinator.Tell(ProtocolCodec.DecodeReply(m));
        }
        catch (Exception ex) when (ex is LinkClosedException or ProtocolException or IOException)
        {
            reason = ex.Message;
            _log($"link to worker {name} closed: {reason}");
        }
        _coordinator.Tell(new WorkerLeft(name, reason, proxy));
        _system.Stop(proxy);
        sender.Complete();
        _links.TryRemove(sender, out _);
        await link.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Sends what is queued (the EndRun messages) before closing, so workers learn the run is over.</summary>
    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync().ConfigureAwait(false);
        foreach (var (sender, link) in _links)
        {
            sender.Complete();
            try { await sender.Pump.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false); }
            catch (TimeoutException) { _log($"worker {link.RemoteName} did not take the end of the run within 30 s"); }
            await link.DisposeAsync().ConfigureAwait(false);
        }
    }
}
