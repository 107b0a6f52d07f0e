// The --config file bound to typed settings (issue 5, item 9): every key of hocon/reference.conf is read here, so
// a key the user wrote that nothing reads is reported (name, file, line) instead of being silently ignored. Values
// the file does not set stay null and the defaults in code apply (ReferenceConfTests keeps those equal to
// reference.conf); flags override the file. An empty string means "not set", as in reference.conf.
using Orion.Actors.Hosting;
using Orion.Engine.Config;
using Orion.Engine.Model.Training;

namespace Orion.Cli.Commands;

internal sealed record ClusterConfig
{
    public TrainingRequest Training { get; init; } = new();
    public string? RunDir { get; init; }
    public string? Journal { get; init; }
    public int? Workers { get; init; }
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
    public TimeSpan? HeartbeatInterval { get; init; }
    public TimeSpan? AcceptableHeartbeatPause { get; init; }
    public TimeSpan? StableAfter { get; init; }

    public static ClusterConfig Load(string? path)
    {
        if (path is null) return new ClusterConfig();
        if (!File.Exists(path)) throw new CliUsageException($"--config '{path}' does not exist; pass a HOCON file (examples in hocon/: single-node.conf, coordinator.conf, worker.conf)");
        var root = new ConfigSection(HoconParser.ParseFile(path), "");
        var orion = root.Section("orion");
        var engine = orion.Section("engine");
        var t = orion.Section("training");
        var run = orion.Section("run");
        var cluster = orion.Section("cluster");
        var coordinator = orion.Section("coordinator");
        var worker = orion.Section("worker");
        var tls = cluster.Section("tls");
        var detector = cluster.Section("failure-detector");
        var sbr = cluster.Section("split-brain-resolver");
        string? Relative(string? file) => file is null ? null : Path.GetFullPath(file, Path.GetDirectoryName(Path.GetFullPath(path))!);
        foreach (var fixedKey in new[] { "ane-compile-budget", "delta-patch", "inline-constant-limit", "multi-blob-file", "min-surface-bytes" })
            if (engine.Has(fixedKey))
                throw new ConfigException($"orion.engine.{fixedKey} is documented in reference.conf but cannot be set from a file here (the chip profile or the device decides it; see docs/design.md)", engine.Object.Fields.First(f => f.Key == fixedKey).Value.Origin);
        var config = new ClusterConfig
        {
            Device = Text(engine, "device"),
            Chip = Text(engine, "chip"),
            CompileBudget = engine.GetIntOrNull("compile-budget"),
            Training = new TrainingRequest
            {
                Model = Text(t, "model"), Data = Text(t, "data"), Tokenizer = Text(t, "tokenizer"),
                Steps = t.GetIntOrNull("steps"), Batch = t.GetIntOrNull("batch"), Seq = t.GetIntOrNull("seq"),
                Seed = t.GetLongOrNull("seed") is { } seed ? (seed >= 0 ? (ulong)seed : throw new ConfigException($"orion.training.seed is {seed}; expected zero or more", t.Object.Fields.First(f => f.Key == "seed").Value.Origin)) : null,
                LearningRate = t.GetFloatOrNull("lr"), WarmupSteps = t.GetIntOrNull("warmup-steps"), MinLrFraction = t.GetFloatOrNull("min-lr-fraction"),
                WeightDecay = t.GetFloatOrNull("weight-decay"), Beta1 = t.GetFloatOrNull("beta1"), Beta2 = t.GetFloatOrNull("beta2"), Epsilon = t.GetFloatOrNull("adam-epsilon"),
                GradClip = t.GetFloatOrNull("grad-clip"), InitialLossScale = t.GetFloatOrNull("initial-loss-scale"),
                LossScaleGrowthInterval = t.GetIntOrNull("loss-scale-growth-interval"), CheckpointEvery = t.GetIntOrNull("checkpoint-every"),
            },
            RunDir = Text(run, "dir"),
            Journal = Text(run, "journal"),
            Workers = cluster.GetIntOrNull("workers"),
            MinWorkers = cluster.GetIntOrNull("min-workers") is { } m and > 0 ? m : null,
            ShardTimeout = cluster.GetDurationOrNull("shard-timeout"),
            Listen = Text(coordinator, "listen"),
            Http = Text(coordinator, "http"),
            Coordinator = Text(worker, "coordinator"),
            Name = Text(worker, "name"),
            CacheDir = Text(worker, "cache-dir"),
            OsBuild = Text(worker, "os-build"),
            Advertise = Text(cluster, "advertise"),
            ClusterPort = cluster.GetIntOrNull("port"),
            Cert = Relative(Text(tls, "cert")),
            Ca = Relative(Text(tls, "ca")),
            HeartbeatInterval = detector.GetDurationOrNull("heartbeat-interval"),
            AcceptableHeartbeatPause = detector.GetDurationOrNull("acceptable-heartbeat-pause"),
            StableAfter = sbr.GetDurationOrNull("stable-after"),
        };
        root.EnsureNoUnknownKeys();
        return config;
    }

    /// <summary>The failure detector and split-brain settings of this file over the code's defaults.</summary>
    public ClusterNodeOptions Tune(ClusterNodeOptions o) => o with
    {
        HeartbeatInterval = HeartbeatInterval ?? o.HeartbeatInterval,
        AcceptableHeartbeatPause = AcceptableHeartbeatPause ?? o.AcceptableHeartbeatPause,
        StableAfter = StableAfter ?? o.StableAfter,
    };

    private static string? Text(ConfigSection s, string key) => s.GetStringOrNull(key) is { Length: > 0 } v ? v : null;
}
