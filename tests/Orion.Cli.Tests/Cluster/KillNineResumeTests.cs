// Issue 5, item 7: `kill -9` of the coordinator at any moment, then the same command again, resumes and finishes
// with weights bit-identical to an uninterrupted run. The process SIGKILLs itself at named crash points (inside a
// journal transaction before its commit, between the files of a checkpoint, before a snapshot row) or is killed
// from outside once a step line appears — the run is then resumed with the very same command.
using Xunit;

namespace Orion.Cli.Tests.Cluster;

[Trait("Category", "MultiProcess")]
public sealed class KillNineResumeTests
{
    [Theory]
    [InlineData("journal-append:1")]  // before RunStarted is durable: the rerun starts the run afresh
    [InlineData("journal-append:6")]  // mid-append of a StepCommitted: that step is recomputed, not replayed
    [InlineData("journal-append:9")]  // later: replays journaled steps after the checkpoint, verifying loss bits
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

    [Fact]
    public void Train_KilledFromOutsideAfterAStep_RerunFinishesBitIdentical()
    {
        using var dir = new TempDir();
        string[] args = ["train", .. ClusterRuns.Training, "--run-dir", dir.At("run"), "--cache-dir", dir.At("cache")];
        using (var running = new OrionProcess(null, args))
        {
            running.WaitForLine(@"^step 3/6 ");
            running.Kill();
        }
        var resumed = Cli.Ok(["train", .. ClusterRuns.Training, "--run-dir", dir.At("run"), "--cache-dir", dir.At("cache")]);
        Assert.Contains("resuming run", resumed.Out, StringComparison.Ordinal);
        Assert.Equal(ClusterRuns.ReferenceHash, ClusterRuns.Hash(dir.At("run")));
    }

    [Fact]
    public void Train_TwiceInterrupted_StepsLogHoldsEachStepOnce()
    {
        using var dir = new TempDir();
        string[] args = ["train", .. ClusterRuns.Training, "--run-dir", dir.At("run"), "--cache-dir", dir.At("cache")];
        foreach (var point in new[] { "journal-append:7", "checkpoint-write:1" })
            using (var p = new OrionProcess(new Dictionary<string, string> { [Engine.Diagnostics.CrashPoints.Variable] = point }, args))
                Assert.NotEqual(0, p.WaitForExit());
        Cli.Ok(args);
        var steps = File.ReadAllLines(dir.At("run", "steps.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt64()).ToArray();
        Assert.Equal([1, 2, 3, 4, 5, 6], steps);
        Assert.Equal(ClusterRuns.ReferenceHash, ClusterRuns.Hash(dir.At("run")));
    }
}
