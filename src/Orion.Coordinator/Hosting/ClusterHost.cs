// Runs one coordinator actor to completion in an actor system, with workers attached by the caller: in-process worker
// actors (`orion train --workers N`, single-node mode) or links accepted from `orion worker` processes (a fleet).
using Orion.Actors;
using Orion.Engine.Model.Training;
using Orion.Worker;
using Orion.Worker.Protocol;

namespace Orion.Coordinator.Hosting;

public static class ClusterHost
{
    public const string CoordinatorName = "coordinator";

    /// <summary>Runs the coordinator; <paramref name="attach"/> connects workers once it exists. Returns the final state.</summary>
    public static async Task<TrainingState> RunAsync(CoordinatorSettings settings, Func<ActorSystem, ActorRef<CoordinatorMessage>, IAsyncDisposable> attach, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(attach);
        var completion = new TaskCompletionSource<TrainingState>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var system = ActorSystem.Create("orion");
        system.Failure += (actor, error) =>
        {
            if (actor.Path.EndsWith("/" + CoordinatorName, StringComparison.Ordinal) || actor.Path == CoordinatorName) completion.TrySetException(error);
            else settings.Note($"{actor.Path} failed: {error.Message}");
        };
        var coordinator = system.Spawn<CoordinatorMessage>(CoordinatorName, () => new CoordinatorActor(settings, completion), SupervisorStrategy.StopOnFailure);
        await using var workers = attach(system, coordinator);
        using var cancel = ct.Register(() => completion.TrySetCanceled(ct));
        return await completion.Task.ConfigureAwait(false);
    }

    /// <summary>Single-node mode: <paramref name="workers"/> in-process worker actors, each with its own device.</summary>
    public static Task<TrainingState> RunSingleNodeAsync(CoordinatorSettings settings, int workers, Func<int, WorkerOptions> workerOptions, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        ArgumentNullException.ThrowIfNull(workerOptions);
        return RunAsync(settings with { StopWhenNoWorkers = true }, (system, coordinator) =>
        {
            for (int i = 0; i < workers; i++)
            {
                var options = workerOptions(i);
                var worker = system.Spawn<WorkerCommand>(options.Name, () => new WorkerActor(options, coordinator), SupervisorStrategy.RestartWithBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5)));
                coordinator.Tell(new WorkerJoined(options.Name, worker, "in-process"));
                _ = system.WhenStopped(worker).ContinueWith(_ => coordinator.Tell(new WorkerLeft(options.Name, "its actor stopped", worker)), TaskScheduler.Default);
            }
            return NothingToDispose.Instance;
        }, ct);
    }

    private sealed class NothingToDispose : IAsyncDisposable
    {
        public static readonly NothingToDispose Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
