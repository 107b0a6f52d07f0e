// `orion train` (cli-contract.md): the run directory it writes, resuming, and refusing flags that would change a run.
using System.Globalization;
using System.Text.Json;
using Xunit;

namespace Orion.Cli.Tests;

public sealed class TrainCommandTests
{
    private static string[] Train(string runDir, params string[] extra) =>
        ["train", "--run-dir", runDir, "--device", "emulated", "--batch", "2", "--seq", "64", .. extra];

    [Fact]
    public void Train_FewSteps_WritesStepsJsonlAndCheckpointFolders()
    {
        using var tmp = new TempDir();
        var run = tmp.At("run");
        var r = Cli.Ok(Train(run, "--steps", "4", "--checkpoint-every", "2"));
        Assert.Contains("step 4/4 loss ", r.Out, StringComparison.Ordinal);
        var lines = File.ReadAllLines(Path.Combine(run, "steps.jsonl"));
        Assert.Equal(4, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var e = doc.RootElement;
            Assert.Equal(i + 1, e.GetProperty("step").GetInt64());
            Assert.Equal(128, e.GetProperty("tokens").GetInt64());
            Assert.Equal(1, e.GetProperty("workers").GetInt32());
            // The loss text parses back to the very float32 it came from.
            var text = e.GetProperty("loss").GetRawText();
            Assert.Equal(text, float.Parse(text, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
        }
        foreach (var step in new[] { "step-000002", "step-000004" })
            foreach (var f in new[] { "model.safetensors", "optimizer.safetensors", "manifest.json" })
                Assert.True(File.Exists(Path.Combine(run, "checkpoints", step, f)), $"{step}/{f} missing");
    }

    [Fact]
    public void Train_ModelBreaksAneRule_FailsAtStartNamingTheRuleBeforeAnyWorkerPrepares()
    {
        using var tmp = new TempDir();
        var run = tmp.At("run");
        // Sequences of 16 give attention matmuls an inner dimension of 16 (L03 wants multiples of 32).
        var r = Cli.Run("train", "--run-dir", run, "--device", "emulated", "--batch", "2", "--seq", "16", "--workers", "2", "--steps", "2", "--cache-dir", tmp.At("cache"));
        Cli.AssertUserError(r, "L03");
        Assert.DoesNotContain("joined", r.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(run, "checkpoints")), "no step should have run");
    }

    [Fact]
    public void Train_RerunWithMoreSteps_ResumesAndMatchesAStraightRun()
    {
        using var tmp = new TempDir();
        Cli.Ok(Train(tmp.At("a"), "--steps", "2"));
        var resumed = Cli.Ok(Train(tmp.At("a"), "--steps", "4"));
        Assert.Contains("resuming", resumed.Out, StringComparison.Ordinal);
        Cli.Ok(Train(tmp.At("b"), "--steps", "4", "--checkpoint-every", "2"));
        // Same schedule is not implied (the cosine spans --steps), so compare the first two steps and the line count.
        var a = File.ReadAllLines(Path.Combine(tmp.At("a"), "steps.jsonl"));
        var b = File.ReadAllLines(Path.Combine(tmp.At("b"), "steps.jsonl"));
        Assert.Equal(4, a.Length);
        Assert.Equal(Loss(b[0]), Loss(a[0]));
        Assert.Equal(Loss(b[1]), Loss(a[1]));
    }

    private static string Loss(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.GetProperty("loss").GetRawText();
    }

    [Fact]
    public void Train_ResumeWithDifferentBatch_RefusedNamingTheFlag()
    {
        using var tmp = new TempDir();
        Cli.Ok(Train(tmp.At("a"), "--steps", "1"));
        var r = Cli.Run("train", "--run-dir", tmp.At("a"), "--device", "emulated", "--batch", "3", "--steps", "2");
        Cli.AssertUserError(r, "--batch 3 (the run has 2)", "new --run-dir");
    }

    [Fact]
    public void Train_UnknownModel_ClearErrorListingModels()
    {
        using var tmp = new TempDir();
        var r = Cli.Run("train", "--run-dir", tmp.At("a"), "--model", "gpt5", "--steps", "1");
        Cli.AssertUserError(r, "unknown model 'gpt5'", "gpt2-tiny");
    }

    [Fact]
    public void Train_MissingData_ClearError()
    {
        using var tmp = new TempDir();
        var r = Cli.Run("train", "--run-dir", tmp.At("a"), "--data", tmp.At("nope.bin"), "--steps", "1");
        Cli.AssertUserError(r, "does not exist", "builtin");
    }
}
