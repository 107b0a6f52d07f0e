// Binding shared by `orion train`, `orion coordinator` and `orion worker`: flags over the --config file over the
// defaults (hocon/reference.conf), the journal spec, the device and program cache of a worker, and running a
// coordinator to completion with its outcome turned into an exit code.
using System.CommandLine;
using Orion.Actors.Journal;
using Orion.Coordinator;
using Orion.Engine.Ane;
using Orion.Engine.Model.Training;
using Orion.Worker;

namespace Orion.Cli.Commands;

internal sealed record BoundRun(string RunDir, string RunId, TrainingRequest Request, string Journal, int Workers, int MinWorkers, TimeSpan ShardTimeout, ClusterConfig Config)
{
    public int KeepCheckpoints { get; init; }
    public bool? Bf16Gradients { get; init; }
}

internal static class ClusterOptions
{
    public static Option<string> CacheDirOption() => new("--cache-dir") { Description = "the program cache (default $ORION_CACHE_DIR or ~/.cache/orion/programs), keyed by chip + OS build" };

    public static BoundRun Bind(ParseResult r, TrainingFlags f, string? defaultRunDir)
    {
        var config = ClusterConfig.Load(r.GetValue(f.Config));
        var t = config.Training;
        var request = new TrainingRequest
        {
            Model = r.GetValue(f.Model) ?? t.Model, Data = r.GetValue(f.Data) ?? t.Data, Tokenizer = r.GetValue(f.Tokenizer) ?? t.Tokenizer,
            Steps = r.GetValue(f.Steps) ?? t.Steps, Batch = r.GetValue(f.Batch) ?? t.Batch, Seq = r.GetValue(f.Seq) ?? t.Seq,
            Seed = r.GetValue(f.Seed) ?? t.Seed, LearningRate = r.GetValue(f.LearningRate) ?? t.LearningRate, CheckpointEvery = r.GetValue(f.CheckpointEvery) ?? t.CheckpointEvery,
        };
        var runDir = r.GetValue(f.RunDir) ?? config.RunDir ?? defaultRunDir
            ?? throw new CliUsageException("--run-dir is required: the coordinator keeps its journal, steps.jsonl and checkpoints there");
        CommandChecks.OutputFolder(runDir, "--run-dir");
        int workers = r.GetValue(f.Workers) ?? config.Workers ?? 1;
        if (workers <= 0) throw new CliUsageException($"--workers {workers}: expected 1 or more");
        var journal = r.GetValue(f.Journal) ?? config.Journal ?? "sqlite:" + Path.Combine(runDir, "journal.db");
        var runId = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDir)));
        int keep = r.GetValue(f.KeepCheckpoints) ?? config.KeepCheckpoints ?? 0;
        if (keep < 0) throw new CliUsageException($"--keep-checkpoints {keep}: expected 0 (keep all) or more");
        return new BoundRun(runDir, runId, request, journal, workers, config.MinWorkers ?? workers, config.ShardTimeout ?? CoordinatorSettings.DefaultShardTimeout, config) { KeepCheckpoints = keep, Bf16Gradients = (r.GetValue(f.Gradients) ?? config.Gradients) is { } g ? g == "bf16" : null };
    }

    public static DeviceChoice Device(string? flag, ClusterConfig config) => DeviceSelection.Parse(flag ?? config.Device ?? "auto");

    public static string CacheDir(string? flag, ClusterConfig config)
    {
        var dir = flag ?? config.CacheDir; // the file's key, else ORION_CACHE_DIR (ClusterConfig's environment mapping)
        if (string.IsNullOrWhiteSpace(dir))
            dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "orion", "programs");
        CommandChecks.OutputFolder(dir, "--cache-dir");
        return dir;
    }

    /// <summary>A worker with its own device (its own compile budget, as its own Mac or process would have) and cache view.</summary>
    public static WorkerOptions Worker(string name, DeviceChoice choice, string cacheDir, ClusterConfig config, TextWriter stderr)
    {
        var profile = config.Chip is { } chip ? Engine.Restrictions.ChipProfile.Parse(chip) : null;
        return new()
        {
            Name = name,
            OpenDevice = () => DeviceOption.Open(new DeviceRequest
            {
                Choice = choice,
                Profile = profile,
                Budget = new CompileBudget(config.CompileBudget ?? CompileBudget.DefaultLimit),
                OsBuild = config.OsBuild,
            }, stderr),
            Cache = new ProgramCache(cacheDir),
        };
    }

    /// <summary>Names the journal, runs the coordinator with the given workers, prints progress; 0 when the run completed.</summary>
    public static int RunCoordinator(BoundRun run, TextWriter stdout, Func<CoordinatorSettings, CancellationToken, Task<TrainingState>> host, StatusBoard? board = null)
    {
        Directory.CreateDirectory(run.RunDir);
        var journal = JournalSpec.Parse(run.Journal);
        var settings = new CoordinatorSettings
        {
            RunDir = run.RunDir,
            RunId = run.RunId,
            Request = run.Request,
            Journal = journal,
            Shards = run.Workers,
            MinWorkers = run.MinWorkers,
            ShardTimeout = run.ShardTimeout,
            KeepCheckpoints = run.KeepCheckpoints,
            Bf16Gradients = run.Bf16Gradients,
            Encoder = spec => Tokenizers.Open(spec).Encode,
            Profile = run.Config.Chip is { } chip ? Engine.Restrictions.ChipProfile.Parse(chip) : Engine.Restrictions.ChipProfile.Default,
            Note = s => { lock (stdout) stdout.WriteLine(s); },
            Progress = (s, o) => { lock (stdout) stdout.WriteLine(TrainingFlags.FormatStep(s, o)); },
            Status = board ?? new StatusBoard(),
        };
        using var stop = new CancellationTokenSource();
        void OnCancel(object? _, ConsoleCancelEventArgs e) { e.Cancel = true; stop.Cancel(); }
        Console.CancelKeyPress += OnCancel;
        try
        {
            var state = host(settings, stop.Token).GetAwaiter().GetResult();
            stdout.WriteLine($"run directory {run.RunDir}: step {state.Step}");
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }
}
