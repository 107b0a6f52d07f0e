// What a coordinator needs to run (or resume) one training run: the run directory and id, the user's request, the
// journal, how many shards split each batch, and the host's callbacks. Bound from HOCON and flags by the CLI.
using Orion.Actors.Journal;
using Orion.Engine.Model.Training;

namespace Orion.Coordinator;

public sealed record CoordinatorSettings
{
    public required string RunDir { get; init; }
    /// <summary>The persistence id of this run (several runs may share one PostgreSQL database).</summary>
    public required string RunId { get; init; }
    public required TrainingRequest Request { get; init; }
    /// <summary>Where the run's events and snapshots go (Akka.Persistence.Sql on SQLite or PostgreSQL).</summary>
    public required JournalSpec Journal { get; init; }
    public string JournalDescription => Journal.Description;
    /// <summary>
    /// Round every shard's gradient to bf16 before summing (and send it as bf16 on a fleet's data plane, half the
    /// bytes). Fixed when the run starts, like the shard count: null takes the run's own (fp32 for a new run).
    /// </summary>
    public bool? Bf16Gradients { get; init; }
    /// <summary>Shards per global batch for a new run (the worker count asked for); a resumed run keeps its own.</summary>
    public required int Shards { get; init; }
    /// <summary>Workers that must be ready before the first step this process announces.</summary>
    public int MinWorkers { get; init; } = 1;
    /// <summary>A shard not answered in this time marks its worker unresponsive; the shard is reassigned.</summary>
    public TimeSpan ShardTimeout { get; init; } = DefaultShardTimeout;
    public static readonly TimeSpan DefaultShardTimeout = TimeSpan.FromMinutes(10);
    /// <summary>How often one shard may fail before the run stops (a bad model or data, not a bad worker).</summary>
    public int MaxShardAttempts { get; init; } = 8;
    /// <summary>
    /// Single-node mode: no worker can join later, so when the last one is gone the run stops with the reason
    /// (e.g. every worker failed to compile a model that breaks an ANE restriction) instead of waiting forever.
    /// </summary>
    public bool StopWhenNoWorkers { get; init; }
    /// <summary>
    /// After each snapshot, delete the journal's events and snapshots that no checkpoint kept on disk needs to resume
    /// (everything up to the snapshot of the oldest complete checkpoint folder). Off keeps the whole history.
    /// </summary>
    public bool JournalRetention { get; init; } = true;
    /// <summary>Complete checkpoints kept on disk, the newest ones (0: all). Older ones go once a newer one's snapshot is saved.</summary>
    public int KeepCheckpoints { get; init; }
    /// <summary>The chip profile the coordinator checks the model's programs against before the first step.</summary>
    public Engine.Restrictions.ChipProfile Profile { get; init; } = Engine.Restrictions.ChipProfile.Default;
    /// <summary>Resolves a tokenizer spec to a text encoder (for text data).</summary>
    public required Func<string, Func<string, ushort[]>> Encoder { get; init; }
    public Action<string> Note { get; init; } = _ => { };
    public Action<StepResult, TrainingOptions> Progress { get; init; } = (_, _) => { };
    /// <summary>Stopwatch ticks from each Persist call to its event being durable: the journal's share of a step.</summary>
    public Action<long> Persisted { get; init; } = _ => { };
    /// <summary>Where /status and /metrics read from; the actor publishes a fresh snapshot after every change.</summary>
    public StatusBoard Status { get; init; } = new();
}
