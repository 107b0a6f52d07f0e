// `orion worker` (cli-contract.md): asks the coordinator's data plane for its hello (retrying with backoff until the
// coordinator is up; a TLS refusal or an incompatible build is final), joins the Akka cluster it names as a node
// with the worker role, and runs the WorkerGateway with its WorkerActor. When this node leaves the cluster without
// the run having ended (downed after a partition, the coordinator restarted, or dismissed by the coordinator), it
// starts a new actor system — a new incarnation, with its device opened again — and joins again. Returns when the
// coordinator ends the run.
using Akka.Actor;
using Orion.Actors.DataPlane;
using Orion.Actors.Hosting;
using Orion.Actors.Protocol;
using Orion.Actors.Security;

namespace Orion.Worker.Remote;

public sealed record WorkerNodeOptions
{
    /// <summary>The coordinator's data plane, e.g. https://mac-studio.local:7070/.</summary>
    public required Uri Coordinator { get; init; }

    /// <summary>The host this node's Akka.Remote binds and advertises (reachable from the coordinator).</summary>
    public required string Host { get; init; }

    public NodeIdentity? Identity { get; init; }
    public required WorkerOptions Worker { get; init; }
    public required Action<string> Log { get; init; }

    /// <summary>The command's configuration (a user's file over reference.conf); its akka section tunes the node.</summary>
    public Akka.Configuration.Config? Settings { get; init; }

    /// <summary>Seed nodes (HOST:PORT) beside the coordinator's own address, which the hello gives.</summary>
    public IReadOnlyList<string> ExtraSeeds { get; init; } = [];
}

public static class WorkerNode
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(WorkerNodeOptions o, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(o);
        using var data = new DataPlaneClient(o.Coordinator, o.Identity, TimeSpan.FromMinutes(10));
        for (int incarnation = 1; ; incarnation++)
        {
            var hello = await HelloAsync(data, o.Log, ct).ConfigureAwait(false);
            var seed = Address.Parse(hello.ClusterAddress);
            var node = new ClusterNodeOptions
            {
                Role = ClusterNodeOptions.WorkerRole,
                Host = o.Host,
                Port = 0,
                Seeds = [$"{seed.Host}:{seed.Port}", .. o.ExtraSeeds],
                Identity = o.Identity,
                Settings = o.Settings,
            };
            var system = ClusterNode.Create(node);
            bool over;
            try
            {
                over = await IncarnationAsync(system, o, data, hello, incarnation, ct).ConfigureAwait(false);
            }
            catch
            {
                await system.Terminate().WaitAsync(LeaveTimeout, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                system.Dispose();
                throw;
            }
            await StopAsync(system).ConfigureAwait(false);
            if (over) return;
        }
    }

    /// <summary>One actor system's life in the cluster; true when the run is over, false to rejoin as a new incarnation.</summary>
    private static async Task<bool> IncarnationAsync(ActorSystem system, WorkerNodeOptions o, DataPlaneClient data, HelloResponse hello, int incarnation, CancellationToken ct)
    {
        var ended = new TaskCompletionSource<EndRun>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(WorkerGateway.Props(o.Worker, data, ended, o.Log), "worker");
        o.Log($"joining the cluster of run {hello.RunId} at {hello.ClusterAddress} as {Akka.Cluster.Cluster.Get(system).SelfAddress} (incarnation {incarnation})");
        var first = await Task.WhenAny(ended.Task, system.WhenTerminated).WaitAsync(ct).ConfigureAwait(false);
        if (first != ended.Task)
        {
            o.Log("this node left the cluster (downed after losing the coordinator, or the coordinator restarted); rejoining as a new incarnation");
            return false;
        }
        var end = ended.Task.Result;
        // Leave gracefully, so the coordinator sees this member removed (and, at the end, may exit).
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).WaitAsync(LeaveTimeout, ct).ConfigureAwait(false);
        if (!end.Dismissed)
        {
            o.Log($"the coordinator ended the run: {end.Reason}");
            return true;
        }
        // The run goes on without this worker's old self: a wedged or failing device gets a fresh start (the new
        // incarnation opens its device again) and the coordinator takes it back as a new member.
        o.Log($"the coordinator {end.Reason}; rejoining as a new incarnation with a fresh device");
        return false;
    }

    /// <summary>
    /// A device call that never returns holds its actor, and with it the actor system's termination: bounded, so the
    /// process says so (and a service manager restarts it) instead of hanging with it.
    /// </summary>
    private static async Task StopAsync(ActorSystem system)
    {
        try
        {
            await system.Terminate().WaitAsync(LeaveTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"this worker's actor system did not stop within {LeaveTimeout.TotalSeconds:0} s: a device call is not returning " +
                "(a hung ANE evaluation?); exiting so that a service manager can restart the process", e);
        }
        system.Dispose();
    }

    /// <summary>
    /// Retries while the coordinator is not up (no connection, a timeout, a 5xx while it starts); a refusal is final, and
    /// so is an answer that no Orion coordinator gives (a 4xx, or a body that is not a hello): the address is wrong,
    /// and retrying would never make it right.
    /// </summary>
    private static async Task<HelloResponse> HelloAsync(DataPlaneClient data, Action<string> log, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await data.HelloAsync(ct).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.StatusCode is { } code && (int)code is >= 400 and < 500)
            {
                throw new DataPlaneRefusedException($"{data.Address}v1/hello answered {(int)code} {code}: that address is not an Orion coordinator's data plane; " +
                    "give --coordinator the HOST:PORT that `orion coordinator --listen` printed", e);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException)
            {
                throw new DataPlaneRefusedException($"{data.Address}v1/hello answered something other than an Orion hello ({e.Message}); " +
                    "give --coordinator the HOST:PORT that `orion coordinator --listen` printed", e);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                if (attempt == 1 || attempt % 20 == 0) log($"waiting for the coordinator at {data.Address} ({e.Message})");
                await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)), ct).ConfigureAwait(false); // backoff between connection attempts, not a test wait
                delay = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, delay.Ticks * 2));
            }
        }
    }
}
