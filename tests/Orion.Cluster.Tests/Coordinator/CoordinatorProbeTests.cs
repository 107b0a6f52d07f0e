// The coordinator with TestProbes in place of workers (Akka.TestKit): each probe answers the protocol by hand —
// WorkerReady to PrepareRun, ShardComputed with a made-up gradient to ComputeShard — so a test decides the order and
// the timing of every reply. Shown: every shard of a step goes out once, as its slice of the sampler's batch; the sum
// is taken in shard order whatever order the replies come in; replies for an old step, from a worker whose shard was
// reassigned (it left, or its shard timed out) and duplicates change nothing. The committed weights are compared bit
// for bit with OptimizerStep applied directly to the shard-order sum.
//
// No sleeps: the actor system runs on Akka.TestKit's TestScheduler, so a shard deadline fires only when a test
// advances the clock, and Sync() is a barrier (see there) after which every message the coordinator sent is already
// in the probes' queues.
using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.TestKit;
using Akka.TestKit;
using Orion.Actors.Hosting;
using Orion.Actors.Journal;
using Orion.Actors.Protocol;
using Orion.Coordinator;
using Orion.Coordinator.Hosting;
using Orion.Engine.Data;
using Orion.Engine.Model;
using Orion.Engine.Model.Training;
using Orion.TestKit.Cluster;
using Xunit;

namespace Orion.Cluster.Tests.Coordinator;

public sealed class CoordinatorProbeTests : Akka.TestKit.Xunit2.TestKit
{
    private const int Seq = 32;

    /// <summary>The coordinator's own shard timeout; on the TestScheduler it passes only when a test says so.</summary>
    private static readonly TimeSpan ShardTimeout = TimeSpan.FromMinutes(1);

    private static readonly Config ProbeConfig = ConfigurationFactory.ParseString("""
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        """).WithFallback(TestJournals.Config);

    private readonly TempFolder _temp = new();
    private int _syncs;

    public CoordinatorProbeTests() : base(ProbeConfig) { }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _temp.Dispose();
    }

    private static TimeSpan Wait => TestTimeouts.Dilated(TimeSpan.FromSeconds(60));

    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    // ---- a) sharding ----

    [Theory]
    [InlineData(1, 1, 4)]
    [InlineData(3, 2, 4)] // slices of 1, 1 and 2 sequences
    [InlineData(4, 3, 7)] // 1, 2, 2, 2
    [InlineData(2, 4, 4)] // more workers than shards: two of them get nothing
    public void Announce_NShardsOnMWorkers_EveryShardSentOnceAsItsSliceOfTheBatch(int shards, int workers, int batch)
    {
        var run = Start("sharding", shards, workers, batch);
        var sampler = run.Sampler();
        for (long step = 1; step <= 2; step++)
        {
            var global = sampler.Next(); // the batch the run's seed draws for this step
            var sent = Announced(run);
            Assert.Equal(Enumerable.Range(0, shards), sent.Select(a => a.Shard.Shard).Order()); // each index once, no other
            Assert.Equal(shards, sent.Select(a => a.Shard.RequestId).Distinct().Count());
            var load = run.Workers.Select((_, w) => sent.Count(a => a.Worker == w)).ToArray();
            Assert.True(load.Max() - load.Min() <= 1, $"step {step}: shards per worker [{string.Join(", ", load)}] are not balanced");

            int first = 0;
            foreach (var c in sent.Select(a => a.Shard).OrderBy(c => c.Shard))
            {
                Assert.Equal((run.RunId, step, step - 1, Seq), (c.RunId, c.Step, c.WeightsStep, c.Seq));
                Assert.InRange(c.BatchSize, batch / shards, (batch + shards - 1) / shards);
                Assert.Equal(global.Inputs.AsSpan(first * Seq, c.BatchSize * Seq).ToArray(), c.Inputs);
                Assert.Equal(global.Targets.AsSpan(first * Seq, c.BatchSize * Seq).ToArray(), c.Targets);
                Assert.Equal(4096f * ((float)c.BatchSize / batch), c.GradScale); // loss scale x its share of the positions
                first += c.BatchSize;
            }
            Assert.Equal(batch, first); // contiguous slices in shard order that cover the batch

            foreach (var (w, c) in sent) Reply(run, w, c);
            // A shard sent twice would reach its worker before the step's weights do.
            foreach (var probe in run.Workers) Assert.Equal(step, probe.ExpectMsg<UpdateWeights>(Wait).Step);
        }
    }

    // ---- b) ordering ----

    [Theory]
    [InlineData(new[] { 0, 1, 2 })]
    [InlineData(new[] { 2, 1, 0 })]
    [InlineData(new[] { 1, 2, 0 })]
    [InlineData(new[] { 0, 2, 1 })]
    [InlineData(new[] { 2, 0, 1 })]
    public void Commit_RepliesInAnyOrder_WeightsOfTheShardOrderSumBitForBit(int[] arrival)
    {
        var run = Start("ordering", shards: 3, workers: 3, batch: 4, gradient: CancellingGradient);
        var expected = run.ExpectedWeights(1);
        if (!arrival.SequenceEqual([0, 1, 2]))
            Assert.False(BitEqual(expected, run.ExpectedWeights(1, arrival)), "summed in arrival order the gradients give the same weights, so this order tests nothing");

        var sent = Announced(run);
        foreach (int k in arrival) Reply(run, sent.Single(a => a.Shard.Shard == k));

        AssertBitEqual(expected, run.Workers[0].ExpectMsg<UpdateWeights>(Wait).Weights, $"weights after step 1, replies in order [{string.Join(", ", arrival)}]");
        Assert.Equal(run.ExpectedOutcome(1).GradNorm, Assert.Single(run.Steps).GradNorm);
    }

    // ---- c) late replies ----

    [Fact]
    public void ShardComputed_ForTheStepBefore_IgnoredAndTheNextStepUnchanged()
    {
        var run = Start("late-step", shards: 2, workers: 2, batch: 4);
        var step1 = Announced(run);
        foreach (var (w, c) in step1) Reply(run, w, c);
        foreach (var probe in run.Workers) probe.ExpectMsg<UpdateWeights>(Wait);

        var step2 = Announced(run);
        var (w0, late) = step1.Single(a => a.Shard.Shard == 0);
        Reply(run, w0, late, Garbage); // step 1's shard 0 once more, with a gradient that would show in the sum
        Reply(run, step2.Single(a => a.Shard.Shard == 1));
        Sync(run);
        AssertNotCommitted(run, 1, "the late reply of step 1 was taken as step 2's shard 0");

        Reply(run, step2.Single(a => a.Shard.Shard == 0));
        AssertBitEqual(run.ExpectedWeights(2), run.Workers[0].ExpectMsg<UpdateWeights>(Wait).Weights, "weights after step 2");
        Assert.Equal([1L, 2], run.Steps.Select(s => s.Step));
    }

    [Fact]
    public void ShardComputed_FromAWorkerThatLeft_IgnoredShardRecomputedByItsNewWorker()
    {
        var run = Start("late-left", shards: 2, workers: 2, batch: 4);
        var sent = Announced(run);
        var (leaving, old) = sent.Single(a => a.Shard.Shard == 1);
        var (staying, first) = sent.Single(a => a.Shard.Shard == 0);
        Assert.NotEqual(leaving, staying);

        run.Coordinator.Tell(new WorkerLeft(run.Names[leaving], "link lost", run.Workers[leaving].Ref));
        var reassigned = run.Workers[staying].ExpectMsg<ComputeShard>(Wait);
        Assert.Equal((1L, 1), (reassigned.Step, reassigned.Shard));
        Assert.NotEqual(old.RequestId, reassigned.RequestId);

        Reply(run, leaving, old, Garbage); // the departed worker's answer arrives after all
        Reply(run, staying, first);
        Sync(run);
        AssertNotCommitted(run, 0, "the departed worker's reply was counted");

        Reply(run, staying, reassigned);
        AssertBitEqual(run.ExpectedWeights(1), run.Workers[staying].ExpectMsg<UpdateWeights>(Wait).Weights, "weights after step 1");
        Sync(run);
        Assert.False(run.Workers[leaving].HasMessages, "the departed worker was sent something after it left");
        var board = run.Status.Current.Workers;
        Assert.Equal(2, board.Single(w => w.Name == run.Names[staying]).ShardsComputed);
        Assert.DoesNotContain(board, w => w.Name == run.Names[leaving]);
    }

    [Fact]
    public void ShardComputed_FromTheOnlyWorkerAfterItLeft_IgnoredUntilANewWorkerComputesIt()
    {
        // No worker is ready to take the departed worker's shard: its request must still stop being valid.
        var run = Start("late-alone", shards: 1, workers: 1, batch: 2);
        var (only, old) = Announced(run).Single();
        run.Coordinator.Tell(new WorkerLeft(run.Names[only], "link lost", run.Workers[only].Ref));
        Reply(run, only, old, Garbage);
        Sync(run);
        AssertNotCommitted(run, 0, "the departed worker's reply was counted");

        var newcomer = CreateTestProbe();
        run.Coordinator.Tell(new WorkerJoined("newcomer", newcomer.Ref, "probe"));
        var prepare = newcomer.ExpectMsg<PrepareRun>(Wait);
        run.Coordinator.Tell(new WorkerReady(run.RunId, "newcomer", prepare.Step, WorkerStats.None), newcomer.Ref);
        var again = newcomer.ExpectMsg<ComputeShard>(Wait);
        Assert.Equal((1L, 0), (again.Step, again.Shard));
        Assert.NotEqual(old.RequestId, again.RequestId);
        run.Coordinator.Tell(new ShardComputed(run.RunId, "newcomer", again.Step, again.RequestId, again.Shard, LossOf(1, 0),
            GradientOf(run.Gradient, 1, 0, run.Parameters), WorkerStats.None), newcomer.Ref);
        AssertBitEqual(run.ExpectedWeights(1), newcomer.ExpectMsg<UpdateWeights>(Wait).Weights, "weights after step 1");
    }

    [Fact]
    public void ShardComputed_AfterItsShardTimedOut_IgnoredShardRecomputedElsewhere()
    {
        var run = Start("late-timeout", shards: 2, workers: 2, batch: 4);
        var sent = Announced(run); // the barrier also means both shard deadlines are armed
        var (slow, old) = sent.Single(a => a.Shard.Shard == 1);
        var (fast, first) = sent.Single(a => a.Shard.Shard == 0);
        Reply(run, fast, first);
        Sync(run);

        Clock.Advance(ShardTimeout); // only the slow worker's deadline is still armed
        Assert.StartsWith("dismissed: no answer within", run.Workers[slow].ExpectMsg<EndRun>(Wait).Reason, StringComparison.Ordinal);
        var reassigned = run.Workers[fast].ExpectMsg<ComputeShard>(Wait);
        Assert.Equal((1L, 1), (reassigned.Step, reassigned.Shard));
        Assert.NotEqual(old.RequestId, reassigned.RequestId);

        Reply(run, slow, old, Garbage); // its device comes back with the old request
        Sync(run);
        AssertNotCommitted(run, 0, "the timed-out reply was counted");

        Reply(run, fast, reassigned);
        AssertBitEqual(run.ExpectedWeights(1), run.Workers[fast].ExpectMsg<UpdateWeights>(Wait).Weights, "weights after step 1");
        Assert.Contains(run.Notes.Items, n => n.Contains($"worker {run.Names[slow]} did not answer shard 1 of step 1", StringComparison.Ordinal));
    }

    // ---- d) duplicates ----

    [Fact]
    public void ShardComputed_SameReplyTwice_CountedOnce()
    {
        var run = Start("duplicates", shards: 2, workers: 2, batch: 4);
        var sent = Announced(run);
        var (w0, c0) = sent.Single(a => a.Shard.Shard == 0);
        var (w1, c1) = sent.Single(a => a.Shard.Shard == 1);
        var first = ReplyFor(run, w0, c0, MadeUpGradient);
        run.Coordinator.Tell(first, run.Workers[w0].Ref);
        run.Coordinator.Tell(first, run.Workers[w0].Ref);
        Sync(run);
        AssertNotCommitted(run, 0, "shard 0's second copy was counted as shard 1");
        Assert.Equal(1, run.Status.Current.Workers.Single(w => w.Name == run.Names[w0]).ShardsComputed);

        // The last shard twice: the copy arrives while the commit is being persisted, or after it.
        var last = ReplyFor(run, w1, c1, MadeUpGradient);
        run.Coordinator.Tell(last, run.Workers[w1].Ref);
        run.Coordinator.Tell(last, run.Workers[w1].Ref);
        AssertBitEqual(run.ExpectedWeights(1), run.Workers[w0].ExpectMsg<UpdateWeights>(Wait).Weights, "weights after step 1");
        run.Workers[w1].ExpectMsg<UpdateWeights>(Wait);

        var step2 = Announced(run); // only step 2's shards are queued after the weights: no second commit of step 1
        Assert.Equal([1L], run.Steps.Select(s => s.Step));
        Assert.All(run.Status.Current.Workers.Where(w => w.Name.StartsWith('w')), w => Assert.Equal(1, w.ShardsComputed));
        foreach (var (w, c) in step2) Reply(run, w, c);
        AssertBitEqual(run.ExpectedWeights(2), run.Workers[w0].ExpectMsg<UpdateWeights>(Wait).Weights, "weights after step 2");
    }

    // ---- the probes' side of the protocol ----

    /// <summary>Gradient of shard <c>k</c> of step <c>s</c> for element <c>i</c>, as a worker would send it (loss-scaled).</summary>
    private delegate float GradientFn(long step, int shard, int i);

    /// <summary>Different for every step, shard and element; small enough that no step is clipped the same way twice.</summary>
    private static float MadeUpGradient(long step, int shard, int i) =>
        4096f * ((int)((uint)(i * 2654435761u + (uint)step * 40503u + (uint)shard * 9973u) % 2001) - 1000) * 1e-6f;

    /// <summary>What a reply that must be ignored carries: a gradient no shard has, large enough to move every weight.</summary>
    private static float Garbage(long step, int shard, int i) => 4096f * (1 + i % 5);

    /// <summary>
    /// Three shards whose fp32 sum depends on the order of the additions: shard 0 gives 1e8·u, shard 1 gives -1e8·u and
    /// shard 2 gives u, so (g0 + g1) + g2 = u, while any order that adds u to ±1e8·u first loses it (u is below half
    /// an ulp of 1e8·u) and ends at 0.
    /// </summary>
    private static float CancellingGradient(long step, int shard, int i)
    {
        float u = 4096f * ((i % 13) - 6) / 8;
        return shard switch { 0 => 1e8f * u, 1 => -1e8f * u, _ => u };
    }

    private static float[] GradientOf(GradientFn g, long step, int shard, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = g(step, shard, i);
        return values;
    }

    private static double LossOf(long step, int shard) => 2.0 + 0.125 * shard + 0.5 / step;

    private static ShardComputed ReplyFor(ProbeRun run, int worker, ComputeShard c, GradientFn g) =>
        // A fresh array per reply: the coordinator hands committed gradients to the TensorPool.
        new(run.RunId, run.Names[worker], c.Step, c.RequestId, c.Shard, LossOf(c.Step, c.Shard), GradientOf(g, c.Step, c.Shard, run.Parameters), WorkerStats.None);

    private static void Reply(ProbeRun run, int worker, ComputeShard c, GradientFn? g = null) =>
        run.Coordinator.Tell(ReplyFor(run, worker, c, g ?? run.Gradient), run.Workers[worker].Ref);

    private static void Reply(ProbeRun run, (int Worker, ComputeShard Shard) a) => Reply(run, a.Worker, a.Shard);

    // ---- running a coordinator against probes ----

    private ProbeRun Start(string runId, int shards, int workers, int batch, GradientFn? gradient = null)
    {
        var request = new TrainingRequest { Model = "gpt2-tiny", Steps = 3, Batch = batch, Seq = Seq, CheckpointEvery = 0 };
        var run = new ProbeRun(runId, request, shards, gradient ?? MadeUpGradient, Enumerable.Range(0, workers).Select(_ => CreateTestProbe()).ToArray());
        var settings = new CoordinatorSettings
        {
            RunDir = _temp.At(runId),
            RunId = runId,
            Request = request,
            Journal = JournalSpec.Parse("sqlite:" + _temp.At("described-only.db")), // the actor system's TestJournal is what persists
            Shards = shards,
            MinWorkers = workers, // step 1 waits for every probe, so all take part
            ShardTimeout = ShardTimeout,
            Encoder = _ => ByteTokenizer.Instance.Encode,
            Note = run.Notes.Add,
            Progress = (r, _) => run.Steps.Enqueue(r),
            Status = run.Status,
        };
        run.Coordinator = Sys.ActorOf(RunGuardian.Props(settings, run.Outcome), runId);
        for (int w = 0; w < workers; w++) run.Coordinator.Tell(new WorkerJoined(run.Names[w], run.Workers[w].Ref, "probe"));
        for (int w = 0; w < workers; w++)
        {
            var prepare = run.Workers[w].ExpectMsg<PrepareRun>(Wait);
            Assert.Equal((runId, 0L, run.Parameters), (prepare.RunId, prepare.Step, prepare.Weights.Length));
            run.Coordinator.Tell(new WorkerReady(runId, run.Names[w], prepare.Step, WorkerStats.None), run.Workers[w].Ref);
        }
        return run;
    }

    /// <summary>
    /// A barrier: a throw-away probe joins and waits for its PrepareRun. The coordinator sends that only once it has
    /// handled every earlier message and run every earlier persist handler, and a TestProbe enqueues on the sender's
    /// thread, so afterwards everything the coordinator sent before is in the probes' queues. The new member stays
    /// unprepared, so it never gets a shard.
    /// </summary>
    private void Sync(ProbeRun run)
    {
        var probe = CreateTestProbe();
        run.Coordinator.Tell(new WorkerJoined($"sync-{++_syncs}", probe.Ref, "barrier"));
        probe.ExpectMsg<PrepareRun>(Wait);
    }

    /// <summary>Every shard announced since the last look, by worker: after the barrier, each queue holds ComputeShards only.</summary>
    private List<(int Worker, ComputeShard Shard)> Announced(ProbeRun run)
    {
        Sync(run);
        var sent = new List<(int, ComputeShard)>();
        for (int w = 0; w < run.Workers.Length; w++)
            while (run.Workers[w].HasMessages)
                sent.Add((w, Assert.IsType<ComputeShard>(run.Workers[w].ReceiveOne(TimeSpan.Zero))));
        return sent;
    }

    /// <summary>After a barrier: the step in flight has not been committed (no weights went out, no step was reported).</summary>
    private static void AssertNotCommitted(ProbeRun run, int committedBefore, string why)
    {
        foreach (var probe in run.Workers)
            if (probe.HasMessages)
                Assert.Fail($"{why}: a worker was sent {probe.ReceiveOne(TimeSpan.Zero)?.GetType().Name} before the step's last shard was answered");
        Assert.Equal(committedBefore, run.Steps.Count);
    }

    private static bool BitEqual(float[] a, float[] b) =>
        a.Length == b.Length && a.AsSpan().SequenceEqual(b); // float's Equals is bitwise for non-NaN weights

    private static void AssertBitEqual(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: weight {i:N0} is {actual[i]:R} (0x{BitConverter.SingleToInt32Bits(actual[i]):X8}), expected {expected[i]:R} (0x{BitConverter.SingleToInt32Bits(expected[i]):X8})");
    }

    private sealed class ProbeRun(string runId, TrainingRequest request, int shards, GradientFn gradient, TestProbe[] workers)
    {
        private readonly ModelConfig _config = ModelConfig.Preset(request.Model!);
        private readonly TrainingOptions _options = request.ApplyTo(new TrainingOptions()).Validate();

        public string RunId { get; } = runId;
        public TestProbe[] Workers { get; } = workers;
        public string[] Names { get; } = Enumerable.Range(0, workers.Length).Select(w => $"w{w}").ToArray();
        public GradientFn Gradient { get; } = gradient;
        public IActorRef Coordinator { get; set; } = ActorRefs.Nobody;
        public TaskCompletionSource<TrainingState> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public SignalLog<string> Notes { get; } = new();
        public ConcurrentQueue<StepResult> Steps { get; } = new();
        public StatusBoard Status { get; } = new();
        public int Parameters => checked((int)ParameterLayout.For(_config).Count);

        /// <summary>The run's batches, drawn as the run's seed draws them.</summary>
        public BatchSampler Sampler()
        {
            var fresh = TrainingState.Fresh(_config, _options);
            var data = DataSource.Load(DataSource.Builtin, ByteTokenizer.Instance.Encode);
            var sampler = new BatchSampler(data.Tokens, _options.Batch, Trainer.SeqFor(_config, _options), fresh.Sampler.Rng);
            sampler.Restore(fresh.Sampler);
            return sampler;
        }

        public float[] ExpectedWeights(long steps, int[]? order = null) => Apply(steps, order).State.Parameters.Data;

        public OptimizerStep.Outcome ExpectedOutcome(long steps) => Apply(steps, null).Outcome;

        /// <summary>
        /// The reference: each step's shard gradients added one fp32 add at a time in <paramref name="order"/> (shard
        /// order unless given), the loss weighted by each shard's share of the batch, then OptimizerStep on a fresh state.
        /// </summary>
        private (TrainingState State, OptimizerStep.Outcome Outcome) Apply(long steps, int[]? order)
        {
            order ??= Enumerable.Range(0, shards).ToArray();
            var state = TrainingState.Fresh(_config, _options);
            var sum = ModelParameters.Zeros(state.Parameters.Layout);
            OptimizerStep.Outcome outcome = null!;
            for (long s = 1; s <= steps; s++)
            {
                for (int n = 0; n < order.Length; n++)
                {
                    var g = GradientOf(Gradient, s, order[n], sum.Data.Length);
                    for (int i = 0; i < g.Length; i++) sum.Data[i] = n == 0 ? g[i] : sum.Data[i] + g[i];
                }
                double loss = 0;
                for (int k = 0; k < shards; k++)
                {
                    int count = (int)((long)(k + 1) * _options.Batch / shards - (long)k * _options.Batch / shards);
                    loss += LossOf(s, k) * ((float)count / _options.Batch);
                }
                outcome = OptimizerStep.Apply(state, sum, loss, s, _options);
            }
            return (state, outcome);
        }
    }
}
