// The coordinator actor (architecture.md, Cluster): an Akka.Persistence actor whose persistence id is the run id.
// Each global batch is split into a fixed number of shards computed by whichever workers are ready; gradients are
// summed in shard order (never arrival order); AdamW steps on the CPU; StepCommitted is persisted before anything
// else happens, then the weights go out and the next step is announced. Recovery (the .Recovery part) is the newest
// checkpoint + replay of the journaled steps after it, each recomputed loss checked bit for bit; retention (the
// .Retention part) deletes what no kept checkpoint needs once a snapshot is saved.
using Akka.Actor;
using Akka.Persistence;
using Orion.Actors.Journal;
using Orion.Actors.Protocol;
using Orion.Engine.Data;
using Orion.Engine.Diagnostics;
using Orion.Engine.Model;
using Orion.Engine.Model.Training;

namespace Orion.Coordinator;

public sealed partial class CoordinatorActor : UntypedPersistentActor
{
    private readonly CoordinatorSettings settings;
    private readonly TaskCompletionSource<TrainingState> completion;
    private readonly List<WorkerSlot> _workers = [];
    private TrainingState _state = null!;
    private TrainingOptions _options = null!;
    private BatchSampler _sampler = null!;
    private ModelParameters _grads = null!;
    private StepsLog _log = null!;
    private RunStarted _run = null!;
    private string _dataSpec = "", _tokenizer = "";
    private long _dataTokens;
    private int _seq, _shards, _nextRank, _persisting;
    private long _nextRequest, _degraded;
    /// <summary>The step whose weights the workers hold: the last broadcast (a skipped step changes no weight), or the start.</summary>
    private long _weightsStep;
    private bool _started, _finished, _bf16;
    private StepInFlight? _inFlight;

    public CoordinatorActor(CoordinatorSettings settings, TaskCompletionSource<TrainingState> completion)
    {
        this.settings = settings;
        this.completion = completion;
    }

    public static Props Props(CoordinatorSettings settings, TaskCompletionSource<TrainingState> completion)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(completion);
        return Akka.Actor.Props.Create(() => new CoordinatorActor(settings, completion));
    }

    public override string PersistenceId => settings.RunId;

    /// <summary>Internal timer message: shard <paramref name="Shard"/> of a step has not been answered in time.</summary>
    private sealed record ShardDeadline(long Step, long RequestId, int Shard);

    protected override void OnCommand(object message)
    {
        if (_finished)
        {
            if (message is WorkerJoined late) late.Ref.Tell(new EndRun(settings.RunId, "the run is complete"));
            return;
        }
        switch (message)
        {
            case WorkerJoined j: OnJoined(j); break;
            case WorkerLeft l when l.Ref is null || Slot(l.Worker)?.Ref.Equals(l.Ref) == true: OnLeft(l.Worker, l.Reason); break;
            case Terminated t when _workers.Find(w => w.Ref.Equals(t.ActorRef)) is { } gone: OnLeft(gone.Name, "its actor stopped"); break;
            case Terminated: break; // a worker that had already left
            case WorkerReady r: OnReady(r); break;
            case ShardComputed c: OnShardComputed(c); break;
            case ShardFailed f: OnShardFailed(f); break;
            case WorkerFailed f: OnWorkerFailed(f); break;
            case DeviceFingerprintChanged d: OnDeviceChanged(d); break;
            case ShardDeadline d: OnDeadline(d); break;
            case SaveSnapshotSuccess s: OnSnapshotSaved(s.Metadata); break;
            case SaveSnapshotFailure f: settings.Note($"saving the snapshot of run {settings.RunId} failed ({f.Cause.Message}); recovery will replay from an older one"); break;
            case DeleteMessagesSuccess or DeleteMessagesFailure or DeleteSnapshotsSuccess or DeleteSnapshotsFailure: OnRetention(message); break;
            default: Unhandled(message); return;
        }
        Continue();
    }

    /// <summary>After every message and every persisted event: start the next step if nothing is pending, then republish.</summary>
    private void Continue()
    {
        if (!_finished && _persisting == 0) TryStartStep();
        Publish(null);
    }

    /// <summary>
    /// Persist before acting: <paramref name="then"/> runs once <paramref name="e"/> is durable; until then Akka stashes
    /// every other message, and no step starts. A failed write stops the actor (OnPersistFailure) before anything acts on it.
    /// </summary>
    private void PersistThen<T>(T e, Action then) where T : RunEvent
    {
        CrashPoints.Hit("journal-persist");
        _persisting++;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        Persist(e, _ =>
        {
            _persisting--;
            settings.Persisted(System.Diagnostics.Stopwatch.GetTimestamp() - started);
            CrashPoints.Hit("journal-persisted");
            then();
            Continue();
        });
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        completion.TrySetException(new JournalException($"{settings.JournalDescription}: writing event #{sequenceNr} ({@event.GetType().Name}) of run {settings.RunId} failed ({cause.Message}); the coordinator stopped without acting on it. Rerun the same command to resume once the journal is writable", cause));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        completion.TrySetException(new JournalException($"{settings.JournalDescription}: the journal rejected event #{sequenceNr} ({@event.GetType().Name}) of run {settings.RunId} ({cause.Message}); the coordinator stopped without acting on it", cause));
        Context.Stop(Self);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        completion.TrySetException(reason is InvalidDataException or ArgumentException or JournalException or RunFailedException or Engine.Restrictions.AneRestrictionException
            ? reason
            : new JournalException($"{settings.JournalDescription}: run {settings.RunId} could not be recovered ({reason.Message})", reason));
        base.OnRecoveryFailure(reason, message);
    }

    /// <summary>The run is over (or failed): the host gets its outcome, and the actor stops.</summary>
    private void Complete()
    {
        completion.TrySetResult(_state);
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        _log?.Dispose();
        if (_inFlight is { } f)
            foreach (var d in f.Deadlines) d?.Cancel();
        completion.TrySetException(new InvalidOperationException($"the coordinator of run {settings.RunId} stopped before the run completed (step {_state?.Step ?? 0})"));
        base.PostStop();
    }
}
