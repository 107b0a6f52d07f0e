// One `orion train` run on one device, start to finish, in a run directory (cli-contract.md): resumes from the newest
// complete checkpoint when there is one (refusing flags that would change the run), loads the data, compiles the
// programs only after the state is loaded, then steps, logs each step to steps.jsonl and checkpoints every K steps
// and at the end.
using Orion.Engine.Ane;
using Orion.Engine.Data;
using Orion.Engine.Model.Checkpoints;

namespace Orion.Engine.Model.Training;

public sealed class TrainingRun
{
    public required string RunDir { get; init; }
    public required TrainingRequest Request { get; init; }
    /// <summary>Opens the device once the state is ready (compiling before loading a checkpoint caused NaNs).</summary>
    public required Func<IAneDevice> OpenDevice { get; init; }
    /// <summary>Resolves a tokenizer spec ("byte", "gpt2:DIR", "llama2c:FILE") to a text encoder.</summary>
    public required Func<string, Func<string, ushort[]>> Encoder { get; init; }
    public Action<string> Note { get; init; } = _ => { };
    public Action<StepResult, TrainingOptions> Progress { get; init; } = (_, _) => { };

    public TrainingState Execute(CancellationToken cancel = default)
    {
        Directory.CreateDirectory(RunDir);
        var checkpoints = Path.Combine(RunDir, "checkpoints");
        TrainingState state;
        TrainingOptions options;
        string dataSpec, tokenizer;
        long? savedTokens = null;
        var latest = LoadedCheckpoint.Latest(checkpoints);
        if (latest is not null)
        {
            var ck = LoadedCheckpoint.FromFolder(latest, withOptimizer: true);
            var m = ck.Manifest!;
            var saved = m.Training ?? throw new InvalidDataException($"{latest}: the manifest has no training options, so it is not a training checkpoint");
            var conflicts = Request.Conflicts(saved, ck.Config.Name, m.Data.Source, m.Tokenizer);
            if (conflicts.Count > 0)
                throw new ArgumentException($"{RunDir} holds a run at step {m.Step}; resuming it with {string.Join(", ", conflicts)} would not continue that run. Drop those flags to resume, or pick a new --run-dir");
            options = Request.ApplyTo(saved).Validate();
            state = ck.ToTrainingState();
            dataSpec = m.Data.Source;
            tokenizer = m.Tokenizer;
            savedTokens = m.Data.Tokens;
            Note($"resuming {RunDir} from step {state.Step} ({Path.GetRelativePath(RunDir, latest)})");
        }
        else
        {
            var config = ModelConfig.Preset(Request.Model ?? TrainingRequest.DefaultModel);
            options = Request.ApplyTo(new TrainingOptions()).Validate();
            state = TrainingState.Fresh(config, options);
            dataSpec = Request.Data ?? DataSource.Builtin;
            tokenizer = Request.Tokenizer ?? "byte";
        }
        var data = DataSource.Load(dataSpec, Encoder(tokenizer));
        if (savedTokens is { } n && n != data.Tokens.Length)
            throw new InvalidDataException($"--data {dataSpec} now has {data.Tokens.Length:N0} tokens, but the run was trained on {n:N0}; resuming would see different batches. Restore the data or start a new --run-dir");
        using var log = StepsLog.Open(RunDir, state.Step);
        if (state.Step >= options.Steps)
        {
            Note($"the run is complete: step {state.Step} of {options.Steps} (pass a larger --steps to continue it)");
            return state;
        }
        using var device = OpenDevice();
        using var trainer = new Trainer(device, state, options, data.Tokens);
        Note($"model {state.Config.Name} ({state.Parameters.Layout.Count:N0} parameters), data {data.Description} ({data.Tokens.Length:N0} tokens), " +
             $"batch {options.Batch} x seq {Trainer.SeqFor(state.Config, options)}, {device.CompileCount} programs compiled on {device.Fingerprint.Chip}");
        while (!trainer.Done)
        {
            cancel.ThrowIfCancellationRequested();
            var r = trainer.Step();
            log.Append(r, workers: 1);
            Progress(r, options);
            if ((options.CheckpointEvery > 0 && r.Step % options.CheckpointEvery == 0) || trainer.Done)
            {
                log.Sync();
                var folder = Path.Combine(checkpoints, Checkpoint.FolderName(r.Step));
                Checkpoint.Save(folder, state, options, dataSpec, data.Tokens.Length, tokenizer);
                Note($"checkpoint {Path.GetRelativePath(RunDir, folder)}");
            }
        }
        return state;
    }
}
