// The coordinator's side of a fleet in one place: the data plane (Kestrel: hello, weights, gradients) and the
// membership actor that turns Akka.Cluster's worker members into RemoteWorkerProxy workers. Disposing it waits (a
// bounded time) for the workers to leave the cluster after the end of the run, so they all hear that it ended.
using System.Net;
using Akka.Actor;
using Orion.Actors.DataPlane;
using Orion.Actors.Security;

namespace Orion.Coordinator.Fleet;

public sealed class FleetHost : IAsyncDisposable
{
    /// <summary>How long the end of a run waits for its workers to leave the cluster before the coordinator exits anyway.</summary>
    public static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(30);

    private readonly DataPlaneServer _server;
    private readonly IActorRef _membership;
    private readonly Action<string> _log;

    private FleetHost(DataPlaneServer server, IActorRef membership, Action<string> log) => (_server, _membership, _log) = (server, membership, log);

    /// <summary>The data plane's address: what `orion worker --coordinator` takes.</summary>
    public Uri Address => _server.Address;

    public TensorStore Store => _server.Store;

    public static async Task<FleetHost> StartAsync(ActorSystem system, IActorRef coordinator, IPEndPoint listen, NodeIdentity? identity, string runId, Action<string> log, StatusBoard? board = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        var store = new TensorStore();
        var seed = Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();
        var server = await DataPlaneServer.StartAsync(listen, identity, store, () => new HelloResponse(runId, seed), log).ConfigureAwait(false);
        var membership = system.ActorOf(FleetMembership.Props(coordinator, store, runId, log, board), "fleet");
        return new FleetHost(server, membership, log);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _membership.Ask<bool>(new FleetMembership.AwaitWorkersGone(), LeaveTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            _log($"some workers did not leave the cluster within {LeaveTimeout.TotalSeconds:0} s of the end of the run");
        }
        await _server.DisposeAsync().ConfigureAwait(false);
    }
}
