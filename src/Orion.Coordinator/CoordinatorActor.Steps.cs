// The step cycle: announce (draw the batch, split into shards, assign to ready workers), collect, commit (sum in shard
// order, AdamW, persist StepCommitted, log, checkpoint), broadcast the weights — or, while replaying, verify the
// recomputed loss against the journal instead of persisting it again.
using Orion.Actors.DataPlane;
using Akka.Actor;
using Orion.Actors.Journal;
using Orion.Actors.Protocol;
using Orion.Engine.Data;
using Orion.Engine.Diagnostics;
using Orion.Engine.Model.Checkpoints;
using Orion.Engine.Model.Training;

namespace Orion.Coordinator;

public sealed partial class CoordinatorActor
{
    private void TryStartStep()
    {
        if (_inFlight is not null || _finished) return;
        if (_state.Step >= _options.Steps)
        {
            Finish();
            return;
        }
        int ready = _workers.Count(w => w.State == WorkerState.Ready);
        if (ready == 0 || (!_started && ready < settings.MinWorkers)) return;
        _started = true;
        var batch = _sampler.Next();
        _inFlight = new StepInFlight(_state.Step + 1, batch, ShardPlan.Split(batch, _shards), _state.Scaler.Scale);
        for (int k = 0; k < _shards; k++) Assign(k);
    }

    /// <summary>Gives shard <paramref name="k"/> to the ready worker with the fewest outstanding shards (lowest rank on ties).</summary>
    private void Assign(int k)
    {
        var f = _inFlight!;
        f.Deadlines[k]?.Cancel();
        var worker = _workers.Where(w => w.State == WorkerState.Ready)
            .OrderBy(w => f.AssignedTo.Count(a => a == w.Name)).ThenBy(w => w.Rank).FirstOrDefault();
        f.AssignedTo[k] = worker?.Name;
        if (worker is null)
        {
            // Waits for a worker to become ready (OnReady assigns what is pending). The shard's last request is void
            // from now on: a late reply from the worker that had it (gone, dismissed) must not be counted.
            f.RequestIds[k] = 0;
            return;
        }
        if (f.Attempts[k] >= settings.MaxShardAttempts) // failures and timeouts count; a reassignment after a worker left does not
            throw new RunFailedException($"step {f.Step}: shard {k} failed on {settings.MaxShardAttempts} attempts; stopping the run rather than retrying forever (see the workers' errors above)");
        long id = f.RequestIds[k] = ++_nextRequest;
        var s = f.Shards[k];
        worker.Ref.Tell(new ComputeShard(settings.RunId, f.Step, id, k, s.Batch.BatchSize, s.Batch.Seq, s.Batch.Inputs, s.Batch.Targets, f.LossScale * s.Weight, _weightsStep, _bf16), Self);
        f.Deadlines[k] = Context.System.Scheduler.ScheduleTellOnceCancelable(settings.ShardTimeout, Self, new ShardDeadline(f.Step, id, k), Self);
    }

    private void AssignPending()
    {
        if (_inFlight is not { } f) return;
        for (int k = 0; k < f.Shards.Length; k++)
            if (f.Gradients[k] is null && f.AssignedTo[k] is null) Assign(k);
    }

    private void OnShardComputed(ShardComputed c)
    {
        var slot = Slot(c.Worker);
        if (slot is not null) slot.Stats = c.Stats;
        if (_inFlight is not { } f || c.RunId != settings.RunId || c.Step != f.Step || c.Shard < 0 || c.Shard >= f.Shards.Length || f.RequestIds[c.Shard] != c.RequestId || f.Gradients[c.Shard] is not null)
            return; // late: the shard was reassigned after a timeout, or the step is over
        if (c.Gradients.Length != _grads.Data.Length)
            throw new InvalidDataException($"worker {c.Worker} sent {c.Gradients.Length:N0} gradient values for step {c.Step}, expected {_grads.Data.Length:N0}");
        f.Deadlines[c.Shard]?.Cancel();
        // In a bf16 run every gradient is summed as bf16, whichever way it came: a fleet's are bf16 already (rounding
        // again changes nothing), an in-process worker's are rounded here, so both modes sum the same values.
        if (_bf16) Engine.Kernels.Bf16.RoundInPlace(c.Gradients);
        f.Gradients[c.Shard] = c.Gradients;
        f.Losses[c.Shard] = c.Loss;
        f.ComputedBy[c.Shard] = c.Worker;
        if (slot is not null)
        {
            slot.ShardsComputed++;
            slot.Failures = 0; // failures that count against a worker are consecutive ones
        }
        if (f.Complete) Commit(f);
    }

    private void Commit(StepInFlight f)
    {
        ShardPlan.SumInOrder(f.Gradients!, _grads.Data);
        foreach (var g in f.Gradients) TensorPool.Return(g!); // each shard's gradient is this step's alone
        double loss = 0;
        for (int k = 0; k < f.Shards.Length; k++) loss += f.Losses[k] * f.Shards[k].Weight;
        // A journaled step replays with the schedule it was trained with, even after --steps grew.
        var options = _replay.TryPeek(out var replaying) && replaying.Step == f.Step && _stepsInForce.TryGetValue(f.Step, out int steps) && steps != _options.Steps
            ? _options with { Steps = steps } : _options;
        var outcome = OptimizerStep.Apply(_state, _grads, loss, f.Step, options);
        _state.Sampler = _sampler.State;
        int lossBits = BitConverter.SingleToInt32Bits((float)loss);
        var workers = f.ComputedBy.OfType<string>().Distinct().Order(StringComparer.Ordinal).ToArray();
        var result = new StepResult(f.Step, (float)loss, outcome.LearningRate, (long)f.Batch.BatchSize * f.Batch.Seq, f.Clock.Elapsed.TotalMilliseconds, outcome.Skipped, outcome.LossScale, outcome.GradNorm, 0);
        if (_replay.TryPeek(out var journaled) && journaled.Step == f.Step)
        {
            if (journaled.LossBits != lossBits)
                throw new InvalidDataException($"step {f.Step}: the recomputed loss {(float)loss:R} (bits 0x{lossBits:X8}) differs from the journaled {BitConverter.Int32BitsToSingle(journaled.LossBits):R} (bits 0x{journaled.LossBits:X8}); " +
                    "the run cannot resume exactly (the data, the code or a device changed the arithmetic). Keep the run directory for inspection and start a new --run-dir");
            _replay.Dequeue();
            AfterCommit(result, workers.Length);
        }
        else
        {
            PersistThen(new StepCommitted(f.Step, lossBits, outcome.LearningRate, outcome.Skipped, outcome.LossScale, result.Tokens, workers),
                () => AfterCommit(result, workers.Length));
        }
    }

    /// <summary>The step is durable (or verified): log it, checkpoint when due, then the weights go out.</summary>
    private void AfterCommit(StepResult result, int workers)
    {
        _log.Append(result, workers);
        _lastLoss = result.Loss;
        _tokensPerSecond = result.Tokens / Math.Max(1e-9, result.Milliseconds / 1000);
        settings.Progress(result, _options);
        _inFlight = null;
        void Next()
        {
            if (!result.Skipped) Broadcast();
        }
        if ((_options.CheckpointEvery > 0 && result.Step % _options.CheckpointEvery == 0) || result.Step >= _options.Steps)
            Checkpoint(Next);
        else
            Next();
    }

    /// <summary>Writes the checkpoint, persists CheckpointSaved, saves the snapshot that refers to it, then <paramref name="then"/>.</summary>
    private void Checkpoint(Action then)
    {
        _log.Sync();
        var folder = Path.Combine(settings.RunDir, "checkpoints", Engine.Model.Checkpoints.Checkpoint.FolderName(_state.Step));
        Engine.Model.Checkpoints.Checkpoint.Save(folder, _state, _options, _dataSpec, _dataTokens, _tokenizer);
        var hash = Engine.Model.Checkpoints.Checkpoint.WeightsHash(_state.Parameters); // the bits just saved; no need to read them back
        var saved = new CheckpointSaved(_state.Step, Path.GetRelativePath(settings.RunDir, folder), hash);
        PersistThen(saved, () =>
        {
            CrashPoints.Hit("snapshot-save");
            SavingSnapshot(saved);
            settings.Note($"checkpoint {saved.Folder} (weights {hash[..12]})");
            PruneCheckpoints(saved.Step);
            then();
        });
    }

    /// <summary>New weights to every worker (in-process they share one read-only copy).</summary>
    private void Broadcast()
    {
        var weights = (float[])_state.Parameters.Data.Clone();
        _weightsStep = _state.Step;
        foreach (var w in _workers)
        {
            w.Ref.Tell(new UpdateWeights(settings.RunId, _state.Step, weights), Self);
            w.WeightsStep = _state.Step;
        }
    }

    private void Finish()
    {
        if (_finished) return;
        _finished = true;
        void Completed()
        {
            var hash = Engine.Model.Checkpoints.Checkpoint.WeightsHash(_state.Parameters);
            PersistThen(new RunCompleted(_state.Step, hash), () =>
            {
                foreach (var w in _workers) w.Ref.Tell(new EndRun(settings.RunId, "the run is complete"), Self);
                settings.Note($"run {settings.RunId} complete at step {_state.Step} (weights {hash[..12]})");
                Publish("complete");
                Complete();
            });
        }
        if (LoadedCheckpoint.Latest(Path.Combine(settings.RunDir, "checkpoints")) is not { } last || !last.EndsWith(Engine.Model.Checkpoints.Checkpoint.FolderName(_state.Step), StringComparison.Ordinal))
            Checkpoint(Completed);
        else
            Completed();
    }

    private void OnShardFailed(ShardFailed f)
    {
        var slot = Slot(f.Worker);
        _degraded++;
        settings.Note($"worker {f.Worker} failed shard {f.Shard} of step {f.Step}: {f.Error}; reassigning it and re-preparing the worker");
        if (slot is not null)
        {
            slot.Failures++;
            Prepare(slot); // the worker dropped its programs after the failure
        }
        if (_inFlight is { } s && f.Step == s.Step && f.Shard >= 0 && f.Shard < s.Shards.Length && s.RequestIds[f.Shard] == f.RequestId && s.Gradients[f.Shard] is null)
        {
            s.Attempts[f.Shard]++;
            Assign(f.Shard);
        }
    }

    private void OnDeadline(ShardDeadline d)
    {
        if (_inFlight is not { } f || f.Step != d.Step || f.RequestIds[d.Shard] != d.RequestId || f.Gradients[d.Shard] is not null) return;
        var who = f.AssignedTo[d.Shard];
        f.Attempts[d.Shard]++;
        settings.Note($"worker {who} did not answer shard {d.Shard} of step {d.Step} within {settings.ShardTimeout}; dismissing it and reassigning its shards");
        if (who is not null) OnLeft(who, $"no answer within {settings.ShardTimeout}", dismiss: true);
    }
}
