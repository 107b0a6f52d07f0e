// Single-node mode (`orion train --workers N`): one coordinator and N worker actors in one actor system, each worker
// with its own device, under a backoff supervisor; the coordinator watches them. Hosted here because it is the one
// place that knows both the coordinator and the worker (the two never reference each other).
using Akka.Actor;
using Orion.Actors.Protocol;
using Orion.Coordinator;
using Orion.Coordinator.Hosting;
using Orion.Engine.Model.Training;
using Orion.Worker;

namespace Orion.Cli.Commands;

internal static class SingleNode
{
    /// <param name="akka">The command's configuration (its akka section applies); null: reference.conf alone.</param>
    public static Task<TrainingState> RunAsync(CoordinatorSettings settings, int workers, Func<int, WorkerOptions> workerOptions, Akka.Configuration.Config? akka = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        ArgumentNullException.ThrowIfNull(workerOptions);
        // No worker can join later, so when the last one is gone the run stops with the reason instead of waiting forever.
        return ClusterHost.RunAsync(settings with { StopWhenNoWorkers = true }, (system, coordinator) =>
        {
            for (int i = 0; i < workers; i++)
            {
                var options = workerOptions(i);
                var worker = system.ActorOf(WorkerActor.Supervised(options, coordinator, options.Name), options.Name);
                coordinator.Tell(new WorkerJoined(options.Name, worker, "in-process"));
            }
            return ClusterHost.NothingToDispose.Instance;
        }, akka is null ? null : journal => Orion.Actors.Hosting.OrionAkka.Create("orion", journal.WithFallback(akka)), ct: ct);
    }
}
