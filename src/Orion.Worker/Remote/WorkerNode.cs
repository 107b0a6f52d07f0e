// `orion worker` (cli-contract.md): connects to the coordinator (retrying with backoff until it is up), runs one worker
// actor whose replies travel over the link, and reconnects when the link is lost (a coordinator restarted after a
// crash resumes the run and re-prepares its workers). Returns when the coordinator ends the run; a refusal (wrong
// secret, incompatible protocol) throws LinkRefusedException at once — retrying could never succeed.
using Akka.Actor;
using Orion.Actors.Hosting;
using Orion.Actors.Protocol;
using Orion.Actors.Remote;

namespace Orion.Worker.Remote;

public sealed record WorkerNodeOptions(string Host, int Port, LinkOptions Link, WorkerOptions Worker, Action<string> Log);

public static class WorkerNode
{
    public static async Task RunAsync(WorkerNodeOptions o, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(o);
        using var system = OrionAkka.Create("worker");
        try
        {
            await RunLinksAsync(o, system, ct).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    private static async Task RunLinksAsync(WorkerNodeOptions o, ActorSystem system, CancellationToken ct)
    {
        var relay = new LinkRelay<CoordinatorMessage>();
        var coordinator = system.ActorOf(LinkProxy<CoordinatorMessage>.Props(relay.Post), "coordinator-link");
        var worker = system.ActorOf(WorkerActor.Supervised(o.Worker, coordinator, "worker"), "worker-supervisor");
        var stopped = worker.WatchAsync(ct);
        while (true)
        {
            var link = await LinkClient.ConnectWithRetryAsync(o.Host, o.Port, o.Link, o.Log, ct).ConfigureAwait(false);
            o.Log($"connected to the coordinator at {o.Host}:{o.Port} ({(link.Encrypted ? "TLS" : "no TLS")})");
            var sender = new LinkSender<CoordinatorMessage>(link, $"coordinator@{o.Host}:{o.Port}", ProtocolCodec.Encode, o.Log);
            relay.Retarget(sender);
            bool ended = false;
            try
            {
                while (!ended && await link.ReceiveAsync(ct).ConfigureAwait(false) is { } m)
                {
                    var command = ProtocolCodec.DecodeCommand(m);
                    ended = command is EndRun;
                    if (ended) o.Log($"the coordinator ended the run: {((EndRun)command).Reason}");
                    worker.Tell(command);
                }
            }
            catch (Exception ex) when (ex is LinkClosedException or ProtocolException or IOException)
            {
                o.Log($"lost the coordinator: {ex.Message}");
            }
            if (ended)
            {
                await stopped.WaitAsync(ct).ConfigureAwait(false);
                sender.Complete();
                await sender.Pump.WaitAsync(TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
                await link.DisposeAsync().ConfigureAwait(false);
                return;
            }
            relay.Retarget(null);
            sender.Complete();
            await link.DisposeAsync().ConfigureAwait(false);
            if (stopped.IsCompleted) throw new InvalidOperationException("the worker actor stopped unexpectedly");
            o.Log("reconnecting");
        }
    }
}
