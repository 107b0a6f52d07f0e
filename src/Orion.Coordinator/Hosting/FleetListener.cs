// The coordinator's side of a fleet: accepts authenticated links from `orion worker` processes; each becomes a worker
// slot whose commands travel over the link and whose replies come back as messages to the coordinator. A link that
// closes, fails its heartbeats or sends a malformed message is a worker that left; its shards are reassigned.
using System.Collections.Concurrent;
using System.Net;
using Orion.Actors;
using Orion.Actors.Remote;
using Orion.Worker.Protocol;
using Orion.Worker.Remote;

namespace Orion.Coordinator.Hosting;

public sealed class FleetListener : IAsyncDisposable
{
    private readonly ConcurrentDictionary<LinkSender<WorkerCommand>, Link> _links = new();
    private readonly LinkListener _listener;
    private readonly ActorRef<CoordinatorMessage> _coordinator;
    private readonly Action<string> _log;

    public FleetListener(IPEndPoint endpoint, LinkOptions options, ActorRef<CoordinatorMessage> coordinator, Action<string> log)
    {
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
        _coordinator.Tell(new WorkerJoined(name, sender, link.RemoteEndPoint.ToString() ?? "?", () => link.BytesSent + link.BytesReceived));
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
        _coordinator.Tell(new WorkerLeft(name, reason, sender));
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
