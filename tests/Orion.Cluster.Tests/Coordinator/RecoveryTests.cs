// Recovery (architecture.md, Cluster): newest checkpoint + replay of later journaled steps with loss-bit checks ends
// with the weights of an uninterrupted run; a journal that disagrees, or a request that changes the run, is refused.
using Orion.Actors.Journal;
using Orion.TestKit.Cluster;
using Xunit;

namespace Orion.Cluster.Tests.Coordinator;

public sealed class RecoveryTests
{
    [Theory]
    [InlineData(3)] // journal one step ahead of the step-2 checkpoint
    [InlineData(4)] // step 4 journaled, its checkpoint never written
    public async Task Resume_AfterCrashRightAfterJournaling_ReplaysAndEndsWithUninterruptedWeights(int crashAfter)
    {
        var reference = await ReferenceRuns.HashAsync(2);
        using var folder = new TempFolder();
        var runDir = folder.At("run");
        await using (var crashed = await ClusterHarness.StartAsync(new ClusterHarnessOptions { RunDir = runDir, CrashAfterStep = crashAfter }))
            Assert.IsType<SimulatedCrashException>(await crashed.WaitForFailureAsync());

        await using var resumed = await ClusterHarness.StartAsync(new ClusterHarnessOptions { RunDir = runDir });
        var state = await resumed.WaitForCompletionAsync();
        Assert.Equal(6, state.Step);
        await resumed.WaitForNoteAsync($"from checkpoints/step-000002: step 2, {crashAfter - 2} journaled step(s) to recompute and verify");
        Assert.Equal(reference, resumed.FinalWeightsHash());
        var events = await resumed.ReadEventsAsync();
        Assert.Equal([1L, 2, 3, 4, 5, 6], events.OfType<StepCommitted>().Select(c => c.Step)); // replayed steps are verified, not appended again
        Assert.Single(events.OfType<RunStarted>());
    }

    [Fact]
    public async Task Resume_AfterHarnessDisposedMidRun_EndsWithUninterruptedWeights()
    {
        var reference = await ReferenceRuns.HashAsync(2);
        using var folder = new TempFolder();
        var runDir = folder.At("run");
        await using (var first = await ClusterHarness.StartAsync(new ClusterHarnessOptions { RunDir = runDir }))
            await first.WaitForStepAsync(2); // disposed while later steps are in flight

        await using var resumed = await ClusterHarness.StartAsync(new ClusterHarnessOptions { RunDir = runDir });
        await resumed.WaitForCompletionAsync();
        await resumed.WaitForNoteAsync("resuming run cluster-test");
        Assert.Equal(reference, resumed.FinalWeightsHash());
    }

    [Fact]
    public async Task Resume_CompletedRun_CompletesAtOnceWithTheSameWeights()
    {
        using var folder = new TempFolder();
        var runDir = folder.At("run");
        string hash;
        await using (var first = await ClusterHarness.StartAsync(new ClusterHarnessOptions { RunDir = runDir, Steps = 2 }))
        {
            await first.WaitForCompletionAsync();
            hash = first.FinalWeightsHash();
        }

        await using var again = await ClusterHarness.StartAsync(new ClusterHarnessOptions { RunDir = runDir, Steps = 2 });
        var state = await again.WaitForCompletionAsync();
        Assert.Equal(2, state.Step);
        Assert.Empty(again.Steps.Items); // nothing recomputed
        await again.WaitForNoteAsync("is already complete at step 2");
        Assert.Equal(hash, again.FinalWeightsHash());
        Assert.Single((await again.ReadEventsAsync()).OfType<RunCompleted>());
    }

    [Fact]
    public async Task Resume_JournaledLossTampered_StopsNamingTheStep()
    {
        using var folder = new TempFolder();
        var runDir = folder.At("run");
        await using (var crashed = await ClusterHarness.StartAsync(new ClusterHarnessOptions { RunDir = runDir, CrashAfterStep = 3 }))
            await crashed.WaitForFailureAsync();
        // A commit of step 4 whose loss the recomputation cannot reproduce.
        var forged = new StepCommitted(4, BitConverter.SingleToInt32Bits(123.25f), 1e-4f, false, 4096f, 128, ["worker-0"]);
        await JournalForger.AppendAsync(ClusterHarness.JournalSpecFor(runDir), "cluster-test", forged);

        await using var resumed = await ClusterHarness.StartAsync(new ClusterHarnessOptions { RunDir = runDir });
        var error = await resumed.WaitForFailureAsync();
        Assert.IsType<InvalidDataException>(error);
        Assert.StartsWith("step 4: the recomputed loss ", error.Message, StringComparison.Ordinal);
        Assert.Contains("differs from the journaled 123.25 (bits 0x42F68000)", error.Message, StringComparison.Ordinal);
        Assert.Equal([3L], resumed.Steps.Items.Select(s => s.Step)); // from the step-2 checkpoint: step 3 replayed and verified, then 4 refused
    }

    [Fact]
    public async Task Resume_WithDifferentBatch_RefusedNamingTheFlagAndValue()
    {
        using var folder = new TempFolder();
        var runDir = folder.At("run");
        await using (var first = await ClusterHarness.StartAsync(new ClusterHarnessOptions { RunDir = runDir, Workers = 0 }))
            await first.WaitForNoteAsync("new run cluster-test"); // RunStarted is journaled

        await using var conflicting = await ClusterHarness.StartAsync(new ClusterHarnessOptions { RunDir = runDir, Workers = 0, Batch = 2 });
        var error = await conflicting.WaitForFailureAsync();
        Assert.IsType<ArgumentException>(error);
        Assert.Contains("--batch 2 (the run has 4)", error.Message, StringComparison.Ordinal);
        Assert.Contains("new --run-dir", error.Message, StringComparison.Ordinal);
    }
}
