// The --config file bound to typed settings. The file is read by Akka's HOCON parser over hocon/reference.conf (which
// is compiled in); an `orion` key the reference does not document is refused (name, file, line, nearest spelling),
// and a wrong value names its key and what was expected. Values the file leaves unset or "" stay null here, so a
// flag, then the environment mapping that reference.conf documents, then the defaults in code apply (the reference
// tests keep those equal to reference.conf). The file's `akka` section reaches every actor system the command starts.
using Akka.Configuration;
using Orion.Actors.Configuration;
using Orion.Engine.Model.Training;

namespace Orion.Cli.Commands;

internal sealed record ClusterConfig
{
    /// <summary>Environment variables that stand in for a key the file and flags leave unset (reference.conf lists them).</summary>
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["orion.run.journal"] = "ORION_JOURNAL",
        ["orion.worker.coordinator"] = "ORION_COORDINATOR",
        ["orion.worker.cache-dir"] = "ORION_CACHE_DIR",
        ["orion.worker.os-build"] = "ORION_OS_BUILD",
    };

    public TrainingRequest Training { get; init; } = new();
    public string? RunDir { get; init; }
    public string? Journal { get; init; }
    public int? KeepCheckpoints { get; init; }
    public int? Workers { get; init; }
    public string? Gradients { get; init; }
    public int? MinWorkers { get; init; }
    public TimeSpan? ShardTimeout { get; init; }
    public string? Listen { get; init; }
    public string? Http { get; init; }
    public string? Coordinator { get; init; }
    public string? Name { get; init; }
    public string? CacheDir { get; init; }
    public string? OsBuild { get; init; }
    public string? Device { get; init; }
    public string? Chip { get; init; }
    public int? CompileBudget { get; init; }
    public string? Advertise { get; init; }
    public int? ClusterPort { get; init; }
    public string? Cert { get; init; }
    public string? Ca { get; init; }
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>The keys the binding read (tests check that reference.conf documents each).</summary>
    internal IReadOnlyCollection<string> KeysRead { get; init; } = [];

    /// <summary>The whole configuration (the file over reference.conf); its akka section tunes the actor systems.</summary>
    public Config Akka { get; init; } = OrionConfig.Reference;

    /// <param name="environment">Reads an environment variable; null: the process's.</param>
    public static ClusterConfig Load(string? path, Func<string, string?>? environment = null)
    {
        environment ??= System.Environment.GetEnvironmentVariable;
        if (path is not null && !File.Exists(path))
            throw new CliUsageException($"--config '{path}' does not exist; pass a HOCON file (examples in hocon/: single-node.conf, coordinator.conf, worker.conf)");
        var loaded = OrionConfig.Load(path);
        if (path is null) return WithEnvironment(new ClusterConfig(), environment);
        var engine = loaded.Section("orion.engine");
        var t = loaded.Section("orion.training");
        var run = loaded.Section("orion.run");
        var cluster = loaded.Section("orion.cluster");
        var coordinator = loaded.Section("orion.coordinator");
        var worker = loaded.Section("orion.worker");
        var tls = cluster.Section("tls");
        string? Relative(string? file) => file is null ? null : Path.GetFullPath(file, Path.GetDirectoryName(Path.GetFullPath(path))!);
        string? Set(ConfigSection s, string key) => s.GetStringOrNull(key) is { } v && loaded.File!.Config.HasPath($"{s.Path}.{key}") ? v : null;
        foreach (var fixedKey in new[] { "ane-compile-budget", "delta-patch", "inline-constant-limit", "multi-blob-file", "min-surface-bytes" })
            if (loaded.File!.Config.HasPath("orion.engine." + fixedKey))
                throw engine.Invalid(fixedKey, "documented in reference.conf but not settable from a file (the chip profile or the device decides it; see docs/design.md)");
        var config = new ClusterConfig
        {
            // Only what the file sets overrides the code's defaults (a flag may still override it); the rest of the
            // reference is what the code compiles in, and the reference tests keep the two equal.
            Device = Set(engine, "device"),
            Chip = Set(engine, "chip"),
            CompileBudget = Set(engine, "compile-budget") is null ? null : engine.GetIntOrNull("compile-budget"),
            Training = new TrainingRequest
            {
                Model = Set(t, "model"), Data = Set(t, "data"), Tokenizer = Set(t, "tokenizer"),
                Steps = IntIfSet(t, "steps"), Batch = IntIfSet(t, "batch"), Seq = IntIfSet(t, "seq"),
                Seed = Set(t, "seed") is null ? null : t.GetLongOrNull("seed") is { } seed and >= 0 ? (ulong)seed : throw t.Invalid("seed", "negative; expected zero or more"),
                LearningRate = FloatIfSet(t, "lr"), WarmupSteps = IntIfSet(t, "warmup-steps"), MinLrFraction = FloatIfSet(t, "min-lr-fraction"),
                WeightDecay = FloatIfSet(t, "weight-decay"), Beta1 = FloatIfSet(t, "beta1"), Beta2 = FloatIfSet(t, "beta2"), Epsilon = FloatIfSet(t, "adam-epsilon"),
                GradClip = FloatIfSet(t, "grad-clip"), InitialLossScale = FloatIfSet(t, "initial-loss-scale"),
                LossScaleGrowthInterval = IntIfSet(t, "loss-scale-growth-interval"), CheckpointEvery = IntIfSet(t, "checkpoint-every"),
            },
            RunDir = run.GetStringOrNull("dir"),
            Journal = run.GetStringOrNull("journal"),
            KeepCheckpoints = IntIfSet(run, "keep-checkpoints") is { } keep ? (keep >= 0 ? keep : throw run.Invalid("keep-checkpoints", $"{keep}; expected 0 (keep all) or more")) : null,
            Workers = IntIfSet(cluster, "workers"),
            Gradients = Set(cluster, "gradients") is { } g ? (g is "fp32" or "bf16" ? g : throw cluster.Invalid("gradients", $"'{g}'; expected fp32 or bf16")) : null,
            MinWorkers = cluster.GetIntOrNull("min-workers") is { } m and > 0 ? m : null,
            ShardTimeout = Set(cluster, "shard-timeout") is null ? null : cluster.GetDurationOrNull("shard-timeout"),
            Listen = coordinator.GetStringOrNull("listen"),
            Http = coordinator.GetStringOrNull("http"),
            Coordinator = worker.GetStringOrNull("coordinator"),
            Name = worker.GetStringOrNull("name"),
            CacheDir = worker.GetStringOrNull("cache-dir"),
            OsBuild = worker.GetStringOrNull("os-build"),
            Advertise = cluster.GetStringOrNull("advertise"),
            ClusterPort = IntIfSet(cluster, "port"),
            Cert = Relative(tls.GetStringOrNull("cert")),
            Ca = Relative(tls.GetStringOrNull("ca")),
            SeedNodes = cluster.GetStringListOrNull("seed-nodes") ?? [],
            Akka = loaded.Merged,
        };
        // Read once so that a wrong value in the file stops the command now, not when a node starts.
        _ = loaded.Section("akka.cluster.failure-detector").GetDurationOrNull("acceptable-heartbeat-pause");
        _ = loaded.Section("akka.cluster.failure-detector").GetDurationOrNull("heartbeat-interval");
        return WithEnvironment(config with { KeysRead = loaded.KeysRead }, environment);

        int? IntIfSet(ConfigSection s, string key) => Set(s, key) is null ? null : s.GetIntOrNull(key);
        float? FloatIfSet(ConfigSection s, string key) => Set(s, key) is null ? null : s.GetFloatOrNull(key);
    }

    /// <summary>The environment mapping: a variable fills a key only where the file left it unset.</summary>
    private static ClusterConfig WithEnvironment(ClusterConfig c, Func<string, string?> environment)
    {
        string? Env(string key) => environment(Environment[key]) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        return c with
        {
            Journal = c.Journal ?? Env("orion.run.journal"),
            Coordinator = c.Coordinator ?? Env("orion.worker.coordinator"),
            CacheDir = c.CacheDir ?? Env("orion.worker.cache-dir"),
            OsBuild = c.OsBuild ?? Env("orion.worker.os-build"),
        };
    }
}
