// Recovery (architecture.md, Cluster: persist before acting): the journal's RunStarted fixes the run; the newest
// complete checkpoint is the snapshot; every StepCommitted after it is replayed by recomputing that step on the
// workers, and the recomputed loss must have the journaled bits — else the run stops naming the step.
using Orion.Coordinator.Journal;
using Orion.Engine.Data;
using Orion.Engine.Model;
using Orion.Engine.Model.Checkpoints;
using Orion.Engine.Model.Training;

namespace Orion.Coordinator;

public sealed partial class CoordinatorActor
{
    private readonly Queue<StepCommitted> _replay = new();

    private async Task RecoverAsync()
    {
        Directory.CreateDirectory(settings.RunDir);
        var events = new List<RunEvent>();
        await foreach (var e in _journal.ReadAsync(settings.RunId, 1).ConfigureAwait(false))
        {
            if (e.Sequence != _sequence + 1)
                throw new InvalidDataException($"{_journal.Description}: run {settings.RunId} jumps from event #{_sequence} to #{e.Sequence}; the journal is damaged");
            _sequence = e.Sequence;
            events.Add(RunEvent.FromJournal(e, _journal.Description));
        }
        var checkpoints = Path.Combine(settings.RunDir, "checkpoints");
        var latest = LoadedCheckpoint.Latest(checkpoints);
        var request = settings.Request;
        if (events.Count == 0)
        {
            if (latest is not null)
                throw new InvalidDataException($"{settings.RunDir} holds checkpoints but the journal {_journal.Description} has no record of run {settings.RunId}; use the run's own journal (--journal) or a new --run-dir");
            var config = ModelConfig.Preset(request.Model ?? TrainingRequest.DefaultModel);
            _options = request.ApplyTo(new TrainingOptions()).Validate();
            _state = TrainingState.Fresh(config, _options);
            (_dataSpec, _tokenizer, _shards) = (request.Data ?? DataSource.Builtin, request.Tokenizer ?? "byte", settings.Shards);
            LoadData(null);
            await AppendAsync(new RunStarted(settings.RunId, config.Name, config.ToJsonElement(), _options, _dataSpec, _dataTokens, _tokenizer, _shards)).ConfigureAwait(false);
            settings.Note($"new run {settings.RunId}: model {config.Name}, {_shards} shard(s) per batch, journal {_journal.Description}");
        }
        else
        {
            var started = events[0] as RunStarted
                ?? throw new InvalidDataException($"{_journal.Description}: run {settings.RunId} does not begin with RunStarted (found {events[0].TypeName}); the journal is damaged");
            var conflicts = request.Conflicts(started.Options, started.Model, started.Data, started.Tokenizer);
            if (conflicts.Count > 0)
                throw new ArgumentException($"{settings.RunDir} holds run {settings.RunId}; resuming it with {string.Join(", ", conflicts)} would not continue that run. Drop those flags to resume, or pick a new --run-dir");
            _options = request.ApplyTo(started.Options).Validate();
            (_dataSpec, _tokenizer, _shards) = (started.Data, started.Tokenizer, started.Shards);
            var committed = events.OfType<StepCommitted>().ToList();
            long lastCommitted = committed.Count == 0 ? 0 : committed[^1].Step;
            if (latest is not null)
            {
                var ck = LoadedCheckpoint.FromFolder(latest, withOptimizer: true);
                if (ck.Manifest!.Step > lastCommitted)
                    throw new InvalidDataException($"{latest} is at step {ck.Manifest.Step}, but the journal commits only through step {lastCommitted}; the checkpoint does not belong to this journal");
                _state = ck.ToTrainingState();
            }
            else
            {
                _state = TrainingState.Fresh(ModelConfig.FromJsonElement(started.Config, _journal.Description), _options);
            }
            LoadData(started.DataTokens);
            long expect = _state.Step + 1;
            foreach (var c in committed.Where(c => c.Step > _state.Step))
            {
                if (c.Step != expect) throw new InvalidDataException($"{_journal.Description}: run {settings.RunId} commits step {c.Step} where step {expect} was expected; the journal is damaged");
                _replay.Enqueue(c);
                expect++;
            }
            _finished = events[^1] is RunCompleted && _replay.Count == 0 && _state.Step >= _options.Steps;
            settings.Note($"resuming run {settings.RunId} from {(latest is null ? "the start" : Path.GetRelativePath(settings.RunDir, latest))}: " +
                          $"step {_state.Step}, {_replay.Count} journaled step(s) to recompute and verify, {_shards} shard(s) per batch");
        }
        _grads = ModelParameters.Zeros(_state.Parameters.Layout);
        _log = StepsLog.Open(settings.RunDir, _state.Step);
    }

    private void LoadData(long? expectedTokens)
    {
        var data = DataSource.Load(_dataSpec, settings.Encoder(_tokenizer));
        if (expectedTokens is { } n && n != data.Tokens.Length)
            throw new InvalidDataException($"--data {_dataSpec} now has {data.Tokens.Length:N0} tokens, but the run was trained on {n:N0}; resuming would see different batches. Restore the data or start a new --run-dir");
        _dataTokens = data.Tokens.Length;
        _seq = Trainer.SeqFor(_state.Config, _options);
        int max = data.Tokens.Length == 0 ? 0 : data.Tokens.Max();
        if (max >= _state.Config.VocabSize)
            throw new ArgumentException($"the data holds token {max}, outside model '{_state.Config.Name}''s vocabulary of {_state.Config.VocabSize}; use a model whose vocabulary covers the data's tokenizer");
        if (_shards > _options.Batch)
            throw new ArgumentException($"{_shards} shards cannot split a batch of {_options.Batch} sequences; use --batch >= --workers");
        _sampler = new BatchSampler(data.Tokens, _options.Batch, _seq, _state.Sampler.Rng);
        _sampler.Restore(_state.Sampler);
    }

    /// <summary>Persist before acting: the event is durable in the journal when this returns; a failure stops the actor.</summary>
    private async Task AppendAsync(RunEvent e)
    {
        var record = e.ToJournal(_sequence + 1);
        await _journal.AppendAsync(settings.RunId, [record]).ConfigureAwait(false);
        _sequence++;
    }
}
