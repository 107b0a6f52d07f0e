// Runs one coordinator actor to completion in an Akka actor system whose journal is the run's, with workers attached
// by the caller: in-process worker actors (`orion train --workers N`, single-node mode, hosted by the CLI) or links
// accepted from `orion worker` processes (a fleet).
using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Orion.Actors.Hosting;
using Orion.Engine.Model.Training;

namespace Orion.Coordinator.Hosting;

public static class ClusterHost
{
    public const string CoordinatorName = "coordinator";

    /// <summary>Runs the coordinator; <paramref name="attach"/> connects workers once it exists. Returns the final state.</summary>
    /// <param name="createSystem">Makes the actor system from the journal's settings (a fleet's cluster node); null: a local system.</param>
    /// <param name="singleton">Run the coordinator as the cluster singleton of the coordinator role (a fleet), so a
    /// standby coordinator node is a matter of configuration; <paramref name="attach"/> then gets the singleton's proxy.</param>
    public static async Task<TrainingState> RunAsync(CoordinatorSettings settings, Func<ActorSystem, IActorRef, IAsyncDisposable> attach,
        Func<Akka.Configuration.Config, ActorSystem>? createSystem = null, bool singleton = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(attach);
        await settings.Journal.PrepareAsync(settings.RunId, ct).ConfigureAwait(false);
        var completion = new TaskCompletionSource<TrainingState>(TaskCreationOptions.RunContinuationsAsynchronously);
        var system = createSystem?.Invoke(settings.Journal.ToConfig()) ?? OrionAkka.Create("orion", settings.Journal);
        try
        {
            IActorRef coordinator;
            if (singleton)
            {
                system.ActorOf(ClusterSingletonManager.Props(RunGuardian.Props(settings, completion), PoisonPill.Instance,
                    ClusterSingletonManagerSettings.Create(system).WithRole(ClusterNodeOptions.CoordinatorRole)), "run");
                coordinator = system.ActorOf(ClusterSingletonProxy.Props("/user/run",
                    ClusterSingletonProxySettings.Create(system).WithRole(ClusterNodeOptions.CoordinatorRole)), "run-proxy");
            }
            else
            {
                coordinator = system.ActorOf(RunGuardian.Props(settings, completion), "run");
            }
            await using var workers = attach(system, coordinator);
            using var cancel = ct.Register(() => completion.TrySetCanceled(ct));
            return await completion.Task.ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
            system.Dispose();
        }
    }

    /// <summary>For hosts whose workers need no cleanup of their own (they stop with the actor system).</summary>
    public sealed class NothingToDispose : IAsyncDisposable
    {
        public static readonly NothingToDispose Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
