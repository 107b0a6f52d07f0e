// How a ClusterHarness run is shaped. The defaults make a gpt2-tiny step take well under a second on a slow machine:
// batch 4 x 32 tokens (32: attention dimensions must be multiples of 32, L03), 6 steps, a checkpoint every 2, 2 workers.
using Orion.TestKit.Devices;

namespace Orion.TestKit.Cluster;

public sealed record ClusterHarnessOptions
{
    /// <summary>Workers spawned at start (named worker-0, worker-1, ...); 0 starts the coordinator alone.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Shards per global batch of a new run (fixed for the run's whole life).</summary>
    public int Shards { get; init; } = 2;

    /// <summary>Workers that must be ready before step 1; null means all of <see cref="Workers"/> (so step 1 is spread
    /// over every worker and shard assignment is reproducible).</summary>
    public int? MinWorkers { get; init; }

    public string Model { get; init; } = "gpt2-tiny";
    public int Steps { get; init; } = 6;
    public int Batch { get; init; } = 4;
    public int Seq { get; init; } = 32;
    public int CheckpointEvery { get; init; } = 2;

    /// <summary>The coordinator's own timeout for one shard (not a test wait); small only in tests that hang a device.</summary>
    public TimeSpan ShardTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>An existing run directory to use (and keep): resuming a run. Null: a temp folder the harness deletes.</summary>
    public string? RunDir { get; init; }

    public string RunId { get; init; } = "cluster-test";

    /// <summary>Called on each worker's first device as it opens, before the worker prepares: inject faults here.</summary>
    public Action<string, FakeAneDevice>? SetupDevice { get; init; }

    /// <summary>Gives every device of the named worker its own compile budget of this many programs (null: the default).</summary>
    public Func<string, int?>? CompileBudget { get; init; }

    /// <summary>
    /// The coordinator's journal retention (on in `orion train`). Off here by default: most cluster tests read a run's
    /// whole journal back to check what was journaled, which retention would have cut to the events after the oldest
    /// checkpoint kept; the retention tests turn it on.
    /// </summary>
    public bool JournalRetention { get; init; }

    /// <summary>Throws a <see cref="SimulatedCrashException"/> from the coordinator right after this step is journaled.</summary>
    public long? CrashAfterStep { get; init; }
}
