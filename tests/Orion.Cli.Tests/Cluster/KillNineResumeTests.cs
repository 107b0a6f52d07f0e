// Issue 5, item 7: `kill -9` of the coordinator at any moment, then the same command again, resumes and finishes
// with weights bit-identical to an uninterrupted run. The process SIGKILLs itself at named crash points (just before
// an event is persisted, right after one is durable and before anything acts on it, between the files of a
// checkpoint, before its snapshot) or is killed from outside once a step line appears — the run is then resumed with
// the very same command. Events of this run: #1 RunStarted, #2-3 the workers joining, #4 step 1, #5 step 2,
// #6 the step-2 checkpoint, #7 step 3, #8 step 4, ...
using Xunit;

namespace Orion.Cli.Tests.Cluster;

[Trait("Category", "MultiProcess")]
public sealed class KillNineResumeTests
{
    [Theory]
    [InlineData("journal-persist:1")]   // before RunStarted is durable: the rerun starts the run afresh
    [InlineData("journal-persisted:1")] // RunStarted durable, nothing else: the rerun resumes a run with no steps
    [InlineData("journal-persist:7")]   // step 3's StepCommitted not durable: that step is recomputed, not replayed
    [InlineData("journal-persisted:8")] // step 4 durable, its checkpoint not written: steps 3-4 replayed and verified
    [InlineData("checkpoint-write:2")] // half of the step-4 checkpoint on disk
    [InlineData("snapshot-save:1")]   // the checkpoint is on disk, its snapshot row is not
    public void Train_KilledAtCrashPoint_RerunFinishesBitIdentical(string crashPoint)
    {
        using var dir = new TempDir();
        string[] args = ["train", .. ClusterRuns.Training, "--run-dir", dir.At("run"), "--cache-dir", dir.At("cache")];
        using (var crashed = new OrionProcess(new Dictionary<string, string> { [Engine.Diagnostics.CrashPoints.Variable] = crashPoint }, args))
        {
            int exit = crashed.WaitForExit();
            Assert.True(exit != 0, $"the run was meant to be killed at {crashPoint}:\n{crashed.Output}");
            Assert.Contains($"killing the process at {crashPoint.Split(':')[0]}", crashed.Output, StringComparison.Ordinal);
        }
        using (var rerun = new OrionProcess(null, args))
            Assert.True(rerun.WaitForExit() == 0, rerun.Output);
        Assert.Equal(ClusterRuns.ReferenceHash, ClusterRuns.Hash(dir.At("run")));
    }

    [Theory]
    [InlineData("journal-persisted:10")] // step 5 durable; step-000002 already deleted after the step-4 checkpoint
    [InlineData("snapshot-save:2")]      // the step-4 checkpoint is durable, its snapshot is not, nothing pruned yet
    public void Train_KeepingOneCheckpoint_KilledMidRun_RerunFinishesBitIdenticalKeepingOnlyTheNewest(string crashPoint)
    {
        using var dir = new TempDir();
        string[] args = ["train", .. ClusterRuns.Training, "--keep-checkpoints", "1", "--run-dir", dir.At("run"), "--cache-dir", dir.At("cache")];
        using (var crashed = new OrionProcess(new Dictionary<string, string> { [Engine.Diagnostics.CrashPoints.Variable] = crashPoint }, args))
            Assert.True(crashed.WaitForExit() != 0, crashed.Output);
        using (var rerun = new OrionProcess(null, args))
        {
            Assert.True(rerun.WaitForExit() == 0, rerun.Output);
            Assert.Contains("deleted (keeping the newest 1)", rerun.Output, StringComparison.Ordinal);
        }
        Assert.Equal(["step-000006"], Directory.GetDirectories(dir.At("run", "checkpoints")).Select(Path.GetFileName));
        Assert.Equal(ClusterRuns.ReferenceHash, ClusterRuns.Hash(dir.At("run")));
    }

    [Fact]
    public void Train_InterruptedThenResumedWithMoreSteps_JournaledStepsReplayWithTheirOwnSchedule()
    {
        // The learning rate's cosine decay depends on --steps, so steps journaled under 30 must replay under 30 even when
        // the resume asks for 40. Events: #1 RunStarted, #2-3 joins, steps 1-20 #4-#23, the step-20 checkpoint #24,
        // steps 21-24 #25-#28. Two ways to the same end: one crash after step 24, or a second crash right after the
        // resume journals the new step count; both replay steps 21-24 (verified bit for bit) and train 25-40.
        string[] Args(TempDir d, int steps) => ["train", "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--batch", "4", "--seq", "32",
            "--checkpoint-every", "20", "--workers", "2", "--run-dir", d.At("run"), "--cache-dir", d.At("cache")];
        string Run(TempDir d, params string[] crashes)
        {
            using (var first = new OrionProcess(new Dictionary<string, string> { [Engine.Diagnostics.CrashPoints.Variable] = "journal-persisted:28" }, Args(d, 30)))
                Assert.True(first.WaitForExit() != 0, first.Output);
            foreach (var crash in crashes)
                using (var p = new OrionProcess(new Dictionary<string, string> { [Engine.Diagnostics.CrashPoints.Variable] = crash }, Args(d, 40)))
                    Assert.True(p.WaitForExit() != 0, p.Output);
            using var last = new OrionProcess(null, Args(d, 40));
            Assert.True(last.WaitForExit() == 0, last.Output);
            Assert.Contains("4 journaled step(s) to recompute and verify", last.Output, StringComparison.Ordinal);
            return Cli.Ok("checkpoint", "hash", d.At("run", "checkpoints", "step-000040")).Out.Trim();
        }
        using var once = new TempDir();
        using var twice = new TempDir();
        string a = Run(once), b = Run(twice, "journal-persisted:1");
        Assert.Equal(a, b);
        // Fewer steps than the run has committed would drop some of them: refused, naming the count to give.
        Cli.AssertUserError(Cli.Run("train", "--steps", "20", "--batch", "4", "--seq", "32", "--checkpoint-every", "20", "--workers", "2",
            "--run-dir", once.At("run"), "--cache-dir", once.At("cache")), "40 steps committed", "--steps 40 or more");
    }

    [Fact]
    public void Train_Bf16Gradients_KilledMidRun_RerunFinishesBitIdenticalAndKeepsItsFormat()
    {
        using var once = new TempDir();
        using var killed = new TempDir();
        string[] Args(TempDir d) => ["train", .. ClusterRuns.Training, "--gradients", "bf16", "--run-dir", d.At("run"), "--cache-dir", d.At("cache")];
        Cli.Ok(Args(once));
        using (var crashed = new OrionProcess(new Dictionary<string, string> { [Engine.Diagnostics.CrashPoints.Variable] = "journal-persisted:8" }, Args(killed)))
            Assert.True(crashed.WaitForExit() != 0, crashed.Output);
        // The format is the run's: asking for another on resume is refused, giving none keeps bf16.
        Cli.AssertUserError(Cli.Run(["train", .. ClusterRuns.Training, "--gradients", "fp32", "--run-dir", killed.At("run"), "--cache-dir", killed.At("cache")]),
            "--gradients fp32 (the run has bf16)");
        Cli.Ok(["train", .. ClusterRuns.Training, "--run-dir", killed.At("run"), "--cache-dir", killed.At("cache")]);
        var bf16 = ClusterRuns.Hash(once.At("run"));
        Assert.Equal(bf16, ClusterRuns.Hash(killed.At("run")));
        Assert.NotEqual(ClusterRuns.ReferenceHash, bf16); // rounding the gradients did change the arithmetic
    }

    [Fact]
    public void Train_KilledFromOutsideAfterAStep_RerunFinishesBitIdentical()
    {
        // SIGKILL from outside lands wherever the run is. The run is long enough (60 steps; a few ms each) that it is
        // still running when the kill arrives, however quickly it steps: the test then always exercises a resume.
        string[] Args(TempDir d) => ["train", "--steps", "60", "--batch", "4", "--seq", "32", "--checkpoint-every", "20", "--workers", "2",
            "--run-dir", d.At("run"), "--cache-dir", d.At("cache")];
        using var reference = new TempDir();
        Cli.Ok(Args(reference));
        using var dir = new TempDir();
        using (var running = new OrionProcess(null, Args(dir)))
        {
            running.WaitForLine(@"^step 3/60 ");
            running.Kill();
        }
        var resumed = Cli.Ok(Args(dir));
        Assert.Contains("resuming run", resumed.Out, StringComparison.Ordinal);
        string Hash(TempDir d) => Cli.Ok("checkpoint", "hash", d.At("run", "checkpoints", "step-000060")).Out.Trim();
        Assert.Equal(Hash(reference), Hash(dir));
    }

    [Fact]
    public void Train_TwiceInterrupted_StepsLogHoldsEachStepOnce()
    {
        using var dir = new TempDir();
        string[] args = ["train", .. ClusterRuns.Training, "--run-dir", dir.At("run"), "--cache-dir", dir.At("cache")];
        foreach (var point in new[] { "journal-persisted:7", "checkpoint-write:1" })
            using (var p = new OrionProcess(new Dictionary<string, string> { [Engine.Diagnostics.CrashPoints.Variable] = point }, args))
                Assert.NotEqual(0, p.WaitForExit());
        Cli.Ok(args);
        var steps = File.ReadAllLines(dir.At("run", "steps.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt64()).ToArray();
        Assert.Equal([1, 2, 3, 4, 5, 6], steps);
        Assert.Equal(ClusterRuns.ReferenceHash, ClusterRuns.Hash(dir.At("run")));
    }

    [Fact]
    public async Task Train_OsUpdateBetweenCrashAndResume_CachedProgramsInvalidatedPrintedJournaledBitIdentical()
    {
        using var dir = new TempDir();
        string[] args = ["train", .. ClusterRuns.Training, "--run-dir", dir.At("run"), "--cache-dir", dir.At("cache")];
        var before = new Dictionary<string, string> { ["ORION_OS_BUILD"] = "24A335", [Engine.Diagnostics.CrashPoints.Variable] = "journal-persisted:8" };
        using (var crashed = new OrionProcess(before, args))
            Assert.NotEqual(0, crashed.WaitForExit());
        using var resumed = new OrionProcess(new Dictionary<string, string> { ["ORION_OS_BUILD"] = "24B83" }, args);
        Assert.True(resumed.WaitForExit() == 0, resumed.Output);
        Assert.Matches(@"worker worker-\d: OS build 24A335 -> 24B83: [1-9]\d* cached programs invalidated, recompiled", resumed.Output);
        Assert.Equal(ClusterRuns.ReferenceHash, ClusterRuns.Hash(dir.At("run")));
        var events = await Orion.Actors.Journal.JournalEvents.ReadAsync(Orion.Actors.Journal.JournalSpec.Parse("sqlite:" + dir.At("run", "journal.db")), "run");
        Assert.Contains(events.OfType<Orion.Actors.Journal.DeviceChanged>(), d => d.Old.Contains("os=24A335", StringComparison.Ordinal) && d.New.Contains("os=24B83", StringComparison.Ordinal));
    }
}
