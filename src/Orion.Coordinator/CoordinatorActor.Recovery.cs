// Recovery (architecture.md, Cluster: persist before acting): Akka replays the run's snapshot (a checkpoint reference
// plus RunStarted) and the events after it; on RecoveryCompleted the newest complete checkpoint on disk is loaded and
// every StepCommitted after it is queued to be recomputed on the workers, whose losses must have the journaled bits,
// else the run stops naming the step. A new run persists RunStarted first.
using Akka.Persistence;
using Orion.Actors.Journal;
using Orion.Engine.Data;
using Orion.Engine.Model;
using Orion.Engine.Model.Checkpoints;
using Orion.Engine.Model.Device;
using Orion.Engine.Model.Training;

namespace Orion.Coordinator;

public sealed partial class CoordinatorActor
{
    private readonly Queue<StepCommitted> _replay = new();
    private readonly List<StepCommitted> _recovered = [];

    /// <summary>The run's step count in force when each journaled step was committed (the schedule it trained with).</summary>
    private readonly Dictionary<long, int> _stepsInForce = [];
    private RunSnapshot? _snapshot;
    private RunEvent? _lastEvent;

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: RunSnapshot s } offer:
                _snapshot = s;
                RecoveredSnapshot(offer.Metadata, s);
                _run = s.Run;
                break;
            case RunStarted r when _run is null:
                _run = r;
                _lastEvent = r;
                break;
            case RunStarted:
                throw new InvalidDataException($"{settings.JournalDescription}: run {settings.RunId} holds a second RunStarted; the journal is damaged");
            case RunEvent e when _run is null:
                throw new InvalidDataException($"{settings.JournalDescription}: run {settings.RunId} does not begin with RunStarted (found {e.TypeName}); the journal is damaged");
            case StepCommitted c:
                _recovered.Add(c);
                _stepsInForce[c.Step] = _run!.Options.Steps;
                _lastEvent = c;
                break;
            case StepsChanged s:
                // _run is what later snapshots carry, so a snapshot taken after the change holds the new count.
                _run = _run! with { Options = _run.Options with { Steps = s.Steps } };
                _lastEvent = s;
                break;
            case RunEvent e:
                _lastEvent = e;
                break;
            case RecoveryCompleted:
                Recovered();
                break;
        }
    }

    private void Recovered()
    {
        Directory.CreateDirectory(settings.RunDir);
        var latest = LoadedCheckpoint.Latest(Path.Combine(settings.RunDir, "checkpoints"));
        var request = settings.Request;
        if (_run is null)
        {
            if (latest is not null)
                throw new InvalidDataException($"{settings.RunDir} holds checkpoints but the journal {settings.JournalDescription} has no record of run {settings.RunId}; use the run's own journal (--journal) or a new --run-dir");
            var config = ModelConfig.Preset(request.Model ?? TrainingRequest.DefaultModel);
            _options = request.ApplyTo(new TrainingOptions()).Validate();
            _state = TrainingState.Fresh(config, _options);
            (_dataSpec, _tokenizer, _shards) = (request.Data ?? DataSource.Builtin, request.Tokenizer ?? TrainingRequest.DefaultTokenizer, settings.Shards);
            LoadData(null);
            CheckPrograms();
            Open();
            _bf16 = settings.Bf16Gradients ?? false;
            var started = new RunStarted(settings.RunId, config.Name, config.ToJsonElement(), _options, _dataSpec, _dataTokens, _tokenizer, _shards, _bf16);
            PersistThen(started, () =>
            {
                _run = started;
                settings.Note($"new run {settings.RunId}: model {config.Name}, {_shards} shard(s) per batch, journal {settings.JournalDescription}");
            });
            return;
        }
        var conflicts = request.Conflicts(_run.Options, _run.Model, _run.Data, _run.Tokenizer).ToList();
        if (settings.Bf16Gradients is { } bf16 && bf16 != _run.Bf16Gradients)
            conflicts.Add($"--gradients {(bf16 ? "bf16" : "fp32")} (the run has {(_run.Bf16Gradients ? "bf16" : "fp32")})");
        if (conflicts.Count > 0)
            throw new ArgumentException($"{settings.RunDir} holds run {settings.RunId}; resuming it with {string.Join(", ", conflicts)} would not continue that run. Drop those flags to resume, or pick a new --run-dir");
        _options = request.ApplyTo(_run.Options).Validate();
        (_dataSpec, _tokenizer, _shards, _bf16) = (_run.Data, _run.Tokenizer, _run.Shards, _run.Bf16Gradients);
        long lastCommitted = _recovered.Count > 0 ? _recovered[^1].Step : _snapshot?.Checkpoint.Step ?? 0;
        if (_options.Steps < lastCommitted)
            throw new ArgumentException($"{settings.RunDir} holds run {settings.RunId} with {lastCommitted} steps committed; --steps {_options.Steps} would undo some of them. Give --steps {lastCommitted} or more, or pick a new --run-dir");
        long snapshotStep = _snapshot?.Checkpoint.Step ?? 0;
        if (latest is not null)
        {
            var ck = LoadedCheckpoint.FromFolder(latest, withOptimizer: true);
            if (ck.Manifest!.Step > lastCommitted)
                throw new InvalidDataException($"{latest} is at step {ck.Manifest.Step}, but the journal commits only through step {lastCommitted}; the checkpoint does not belong to this journal");
            if (ck.Manifest.Step < snapshotStep)
                throw new InvalidDataException($"the journal's snapshot of run {settings.RunId} refers to {_snapshot!.Checkpoint.Folder} (step {snapshotStep}), but the newest complete checkpoint in {settings.RunDir} is at step {ck.Manifest.Step}; restore {_snapshot.Checkpoint.Folder} to resume");
            _state = ck.ToTrainingState();
        }
        else if (_snapshot is not null)
        {
            throw new InvalidDataException($"the journal's snapshot of run {settings.RunId} refers to {_snapshot.Checkpoint.Folder}, which is missing or incomplete in {settings.RunDir}; restore it to resume");
        }
        else
        {
            _state = TrainingState.Fresh(ModelConfig.FromJsonElement(_run.Config, settings.JournalDescription), _options);
        }
        LoadData(_run.DataTokens);
        CheckPrograms();
        long expect = _state.Step + 1;
        foreach (var c in _recovered.Where(c => c.Step > _state.Step))
        {
            if (c.Step != expect) throw new InvalidDataException($"{settings.JournalDescription}: run {settings.RunId} commits step {c.Step} where step {expect} was expected; the journal is damaged");
            _replay.Enqueue(c);
            expect++;
        }
        _recovered.Clear();
        Open();
        _finished = _lastEvent is RunCompleted && _replay.Count == 0 && _state.Step >= _options.Steps;
        if (_finished)
        {
            // Resuming a run that already completed: nothing to train or journal, but the host still needs its outcome.
            settings.Note($"run {settings.RunId} is already complete at step {_state.Step}");
            Publish("complete");
            Complete();
            return;
        }
        settings.Note($"resuming run {settings.RunId} from {(latest is null ? "the start" : Path.GetRelativePath(settings.RunDir, latest))}: " +
                      $"step {_state.Step}, {_replay.Count} journaled step(s) to recompute and verify, {_shards} shard(s) per batch");
        if (_options.Steps != _run.Options.Steps)
        {
            int from = _run.Options.Steps;
            PersistThen(new StepsChanged(from, _options.Steps), () =>
            {
                _run = _run with { Options = _run.Options with { Steps = _options.Steps } };
                settings.Note($"run {settings.RunId}: steps {from} -> {_options.Steps}; journaled steps replay with the schedule of {from}, new ones train with {_options.Steps}");
            });
        }
        Publish("waiting for workers");
        if (_state.Step >= _options.Steps) Finish(); // every step is durable; only the end of the run is not
    }

    /// <summary>
    /// The model must compile on the ANE before any worker is asked to: the programs go through the same front end the
    /// devices use, so a rule no device can satisfy stops the run here, naming it, in a fleet as in single-node mode.
    /// </summary>
    private void CheckPrograms() => ProgramCheck.Training(_state.Parameters, _seq, settings.Profile);

    private void Open()
    {
        _weightsStep = _state.Step;
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
}
