// Membership (architecture.md, Cluster): workers join (star), get the current weights and compile or hit their cache;
// a lost worker's shards are reassigned for the step in flight; a returning worker rejoins at the next step. Every
// change is persisted, the coordinator watches each worker's actor, and the status board is republished after each message.
using Akka.Actor;
using Orion.Actors.Journal;
using Orion.Actors.Protocol;

namespace Orion.Coordinator;

public sealed partial class CoordinatorActor
{
    private float? _lastLoss;
    private double _tokensPerSecond;
    private string _phase = "starting";

    private WorkerSlot? Slot(string name) => _workers.Find(w => w.Name == name);

    private void OnJoined(WorkerJoined j)
    {
        if (Slot(j.Worker) is not null) OnLeft(j.Worker, "replaced by a new connection under the same name");
        var slot = new WorkerSlot(j.Worker, j.Ref, j.Address, _nextRank++, j.BytesExchanged);
        _workers.Add(slot);
        Context.Watch(j.Ref);
        PersistThen(new MembershipChanged(j.Worker, Joined: true, j.Address), () =>
        {
            settings.Note($"worker {j.Worker} joined from {j.Address}");
            if (_workers.Contains(slot)) Prepare(slot);
        });
    }

    private void Prepare(WorkerSlot slot)
    {
        slot.State = WorkerState.Preparing;
        slot.WeightsStep = _weightsStep;
        slot.Ref.Tell(new PrepareRun(settings.RunId, _state.Config, _seq, _weightsStep, (float[])_state.Parameters.Data.Clone()), Self);
    }

    private void OnReady(WorkerReady r)
    {
        if (r.RunId != settings.RunId || Slot(r.Worker) is not { } slot) return;
        slot.Stats = r.Stats;
        slot.State = WorkerState.Ready;
        AssignPending();
    }

    private void OnWorkerFailed(WorkerFailed f)
    {
        if (Slot(f.Worker) is not { } slot) return;
        _degraded++;
        slot.Failures++;
        if (slot.Failures >= settings.MaxShardAttempts)
        {
            OnLeft(f.Worker, $"failed {slot.Failures} times, last: {f.Error}", dismiss: true);
            return;
        }
        settings.Note($"worker {f.Worker} failed to prepare: {f.Error}; asking again");
        Prepare(slot);
    }

    /// <summary>
    /// The worker is out of the run at once (no shard goes to it any more); its departure is persisted, and then its
    /// unfinished shards of the step in flight are reassigned.
    /// </summary>
    private void OnLeft(string name, string reason, bool dismiss = false)
    {
        if (Slot(name) is not { } slot) return;
        _workers.Remove(slot);
        Context.Unwatch(slot.Ref);
        if (dismiss) slot.Ref.Tell(new EndRun(settings.RunId, $"dismissed: {reason}", Dismissed: true), Self);
        PersistThen(new MembershipChanged(name, Joined: false, reason), () =>
        {
            settings.Note($"worker {name} left: {reason}");
            if (_workers.Count == 0 && settings.StopWhenNoWorkers)
                throw new RunFailedException($"no worker is left to train on (the last one, {name}, left: {reason})");
            if (_inFlight is { } f)
                for (int k = 0; k < f.Shards.Length; k++)
                    if (f.Gradients[k] is null && f.AssignedTo[k] == name) Assign(k);
        });
    }

    private void OnDeviceChanged(DeviceFingerprintChanged d)
    {
        if (Slot(d.Worker) is { } slot) slot.Stats = d.Stats;
        _degraded++;
        PersistThen(new DeviceChanged(d.Worker, d.Old.ToString(), d.New.ToString()), () =>
            settings.Note(d.Old.OsBuild != d.New.OsBuild
                ? $"worker {d.Worker}: OS build {d.Old.OsBuild} -> {d.New.OsBuild}: {d.Invalidated} cached programs invalidated, recompiled"
                : $"worker {d.Worker}: device changed ({d.Old} -> {d.New}): {d.Invalidated} cached programs invalidated, recompiled"));
    }

    private void Publish(string? phase)
    {
        if (phase is not null) _phase = phase;
        else if (_finished) _phase = "complete";
        else if (_inFlight is not null) _phase = _replay.Count > 0 ? "replaying" : "training";
        else if (_workers.All(w => w.State != WorkerState.Ready)) _phase = "waiting for workers";
        if (_state is null || _options is null) return; // still recovering: the board keeps "starting"
        settings.Status.Publish(new ClusterStatus(settings.RunId, _phase, _state.Config.Name, _state.Step, _options.Steps, _lastLoss, _tokensPerSecond,
            _shards, _replay.Count, _degraded,
            _workers.Select(w => new WorkerStatus(w.Name, w.Address, w.State.ToString().ToLowerInvariant(), w.WeightsStep, w.ShardsComputed, w.Stats, w.BytesExchanged)).ToList()));
    }
}
