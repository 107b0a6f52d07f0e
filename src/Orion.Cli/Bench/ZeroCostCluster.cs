// `step-overhead`'s cluster: the real CoordinatorActor (ClusterHost.RunAsync) with in-process zero-cost workers, so a
// step costs only sharding, summing, AdamW, the SQLite journal (full sync), steps.jsonl and the broadcast. Checkpoints
// are off (CheckpointEvery = 0) except the one the coordinator writes when a run completes.
using Akka.Actor;
using Orion.Actors.Journal;
using Orion.Cli.Commands;
using Orion.Coordinator;
using Orion.Coordinator.Hosting;
using Orion.Engine.Model;
using Orion.Engine.Model.Checkpoints;
using Orion.Engine.Model.Training;
using Orion.Actors.Protocol;

namespace Orion.Cli.Bench;

internal static class ZeroCostCluster
{
    public const string RunId = "bench-step-overhead";

    /// <summary>Every shard's gradient value (of loss * scale): finite, so no step is skipped, and exact in fp32 sums.</summary>
    public const float GradientValue = 1f;

    public const double Loss = 2.5;

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromMinutes(2);

    public static TrainingRequest Request(StepOverheadSize size, int steps) =>
        new() { Model = size.Model, Steps = steps, Batch = size.Batch, CheckpointEvery = 0 };

    /// <summary>Runs <paramref name="steps"/> steps in <paramref name="runDir"/>; <paramref name="progress"/> is called inside
    /// the coordinator right after each step's StepCommitted is durable and its steps.jsonl line written;
    /// <paramref name="persisted"/> with the ticks of each persist, from the call to the event being durable.</summary>
    public static Task<TrainingState> RunAsync(StepOverheadSize size, int steps, string runDir, Action<StepResult> progress, Action<long> persisted, CancellationToken ct)
    {
        var layout = ParameterLayout.For(ModelConfig.Preset(size.Model));
        var gradient = new float[checked((int)layout.Count)];
        Array.Fill(gradient, GradientValue);
        var settings = new CoordinatorSettings
        {
            RunDir = runDir,
            RunId = RunId,
            Request = Request(size, steps),
            Journal = JournalSpec.Parse(JournalSpec.SqlitePrefix + Path.Combine(runDir, "journal.db")),
            Shards = size.Workers,
            MinWorkers = size.Workers,
            Encoder = spec => Tokenizers.Open(spec).Encode,
            Progress = (r, _) => progress(r),
            Persisted = persisted,
        };
        return ClusterHost.RunAsync(settings, (system, coordinator) =>
        {
            for (int i = 0; i < size.Workers; i++)
            {
                string name = $"zero-cost-{i}";
                var worker = system.ActorOf(Props.Create(() => new ZeroCostWorker(name, gradient, Loss, coordinator)), name);
                coordinator.Tell(new WorkerJoined(name, worker, "in-process"));
            }
            return ClusterHost.NothingToDispose.Instance;
        }, ct: ct);
    }

    /// <summary>
    /// The reference check: <see cref="StepOverheadSize.CheckSteps"/> steps run to completion; every step is reported once
    /// and in order, journaled as StepCommitted and logged in steps.jsonl; the run ends with RunCompleted and one
    /// checkpoint; and the final weights equal, bit for bit, AdamW applied directly to the shards' summed gradient.
    /// </summary>
    public static void Check(StepOverheadSize size)
    {
        var dir = Directory.CreateTempSubdirectory("orion-bench-check-");
        try
        {
            CheckAsync(size, dir.FullName).GetAwaiter().GetResult();
        }
        finally
        {
            DeleteQuietly(dir);
        }
    }

    private static async Task CheckAsync(StepOverheadSize size, string dir)
    {
        int steps = size.CheckSteps;
        var reported = new List<long>();
        var types = new List<string>();
        var state = await RunAsync(size, steps, dir, r => reported.Add(r.Step), _ => { }, CancellationToken.None).WaitAsync(CheckTimeout).ConfigureAwait(false);
        foreach (var e in await JournalEvents.ReadAsync(JournalSpec.Parse(JournalSpec.SqlitePrefix + Path.Combine(dir, "journal.db")), RunId).WaitAsync(CheckTimeout).ConfigureAwait(false))
            types.Add(e.TypeName);
        int committed = types.Count(t => t == nameof(StepCommitted));
        if (committed != steps || types.Count == 0 || types[^1] != nameof(RunCompleted))
            throw new InvalidOperationException($"the journal holds {committed} StepCommitted events and ends with {(types.Count == 0 ? "nothing" : types[^1])}; expected {steps} and RunCompleted");
        if (state.Step != steps || !reported.SequenceEqual(Enumerable.Range(1, steps).Select(s => (long)s)))
            throw new InvalidOperationException($"the run ended at step {state.Step} having reported steps [{string.Join(", ", reported)}]; expected steps 1 to {steps}");
        int logged = File.ReadLines(Path.Combine(dir, StepsLog.FileName)).Count(l => l.Length > 0);
        if (logged != steps) throw new InvalidOperationException($"{StepsLog.FileName} has {logged} lines; expected {steps}");
        int checkpoints = Directory.GetDirectories(Path.Combine(dir, "checkpoints")).Length;
        if (checkpoints != 1 || !Directory.Exists(Path.Combine(dir, "checkpoints", Checkpoint.FolderName(steps))))
            throw new InvalidOperationException($"the run wrote {checkpoints} checkpoint(s); expected only the final one, {Checkpoint.FolderName(steps)} (CheckpointEvery = 0)");
        var want = ReferenceWeights(size, steps);
        var got = state.Parameters.Data;
        for (int i = 0; i < want.Length; i++)
            if (BitConverter.SingleToInt32Bits(got[i]) != BitConverter.SingleToInt32Bits(want[i]))
                throw new InvalidOperationException($"weight {i:N0} after {steps} steps is {got[i]:R}; AdamW applied directly gives {want[i]:R}");
    }

    /// <summary>The same steps without the cluster: the shards' gradients summed in shard order (one fp32 add at a time), then OptimizerStep.</summary>
    public static float[] ReferenceWeights(StepOverheadSize size, int steps)
    {
        var config = ModelConfig.Preset(size.Model);
        var options = Request(size, steps).ApplyTo(new TrainingOptions()).Validate();
        var state = TrainingState.Fresh(config, options);
        var grads = ModelParameters.Zeros(state.Parameters.Layout);
        float sum = GradientValue;
        for (int k = 1; k < size.Workers; k++) sum += GradientValue;
        for (int s = 1; s <= steps; s++)
        {
            Array.Fill(grads.Data, sum);
            OptimizerStep.Apply(state, grads, Loss, s, options);
        }
        return state.Parameters.Data;
    }

    /// <summary>Best effort: a temp folder left behind (a file still open elsewhere) must not hide the benchmark's outcome.</summary>
    public static void DeleteQuietly(DirectoryInfo dir)
    {
        try
        {
            dir.Delete(recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The OS cleans its temp folder; the measurement is unaffected.
        }
    }
}
