// The coordinator actor (issue 5, item 5; architecture.md, Cluster): event-sourced. Each global batch is split into a
// fixed number of shards computed by whichever workers are ready; gradients are summed in shard order (never arrival
// order); AdamW steps on the CPU; StepCommitted is persisted to the journal before anything else happens, then the
// weights go out and the next step is announced. Recovery (the .Recovery part) is checkpoint + replay with loss checks.
using Orion.Actors;
using Orion.Actors.Persistence;
using Orion.Engine.Data;
using Orion.Engine.Model;
using Orion.Engine.Model.Training;
using Orion.Worker.Protocol;

namespace Orion.Coordinator;

public sealed partial class CoordinatorActor(CoordinatorSettings settings, TaskCompletionSource<TrainingState> completion) : Actor<CoordinatorMessage>
{
    private readonly IJournal _journal = settings.Journal;
    private readonly List<WorkerSlot> _workers = [];
    private TrainingState _state = null!;
    private TrainingOptions _options = null!;
    private BatchSampler _sampler = null!;
    private ModelParameters _grads = null!;
    private StepsLog _log = null!;
    private string _dataSpec = "", _tokenizer = "";
    private long _dataTokens;
    private int _seq, _shards, _nextRank;
    private long _sequence, _nextRequest, _degraded;
    private bool _started, _finished;
    private StepInFlight? _inFlight;

    /// <summary>Internal timer message: shard <paramref name="Shard"/> of a step has not been answered in time.</summary>
    private sealed record ShardDeadline(long Step, long RequestId, int Shard) : CoordinatorMessage;

    protected override async Task PreStartAsync()
    {
        await RecoverAsync().ConfigureAwait(false);
        Publish("waiting for workers");
        if (_finished)
        {
            // Resuming a run that already completed: nothing to train or journal, but the host still needs its outcome.
            settings.Note($"run {settings.RunId} is already complete at step {_state.Step}");
            Publish("complete");
            completion.TrySetResult(_state);
            Context.Stop(Self);
        }
        else if (_state.Step >= _options.Steps) await FinishAsync().ConfigureAwait(false);
    }

    protected override async Task ReceiveAsync(CoordinatorMessage message)
    {
        if (_finished)
        {
            if (message is WorkerJoined late) late.Ref.Tell(new EndRun(settings.RunId, "the run is complete"));
            return;
        }
        switch (message)
        {
            case WorkerJoined j: await OnJoinedAsync(j).ConfigureAwait(false); break;
            case WorkerLeft l when l.Ref is null || Slot(l.Worker)?.Ref == l.Ref: await OnLeftAsync(l.Worker, l.Reason).ConfigureAwait(false); break;
            case WorkerReady r: OnReady(r); break;
            case ShardComputed c: await OnShardComputedAsync(c).ConfigureAwait(false); break;
            case ShardFailed f: OnShardFailed(f); break;
            case WorkerFailed f: await OnWorkerFailedAsync(f).ConfigureAwait(false); break;
            case DeviceFingerprintChanged d: await OnDeviceChangedAsync(d).ConfigureAwait(false); break;
            case ShardDeadline d: await OnDeadlineAsync(d).ConfigureAwait(false); break;
        }
        if (!_finished) await TryStartStepAsync().ConfigureAwait(false);
        Publish(null);
    }

    protected override Task PostStopAsync()
    {
        _log?.Dispose();
        completion.TrySetException(new InvalidOperationException($"the coordinator of run {settings.RunId} stopped before the run completed (step {_state?.Step ?? 0})"));
        return Task.CompletedTask;
    }
}
