// Journal retention (docs/design.md, Journal and recovery): after a checkpoint's snapshot is saved, the events and
// snapshots older than the snapshot of the oldest checkpoint kept on disk are deleted — from the SQLite files, not only
// hidden — and a run killed after that resumes from its newest checkpoint and ends with the weights of an
// uninterrupted run. Deletions land while a worker's device is held, so the run is still going when the test looks.
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orion.Actors.Journal;
using Orion.Engine.Model.Training;
using Orion.TestKit.Cluster;
using Xunit;

namespace Orion.Cluster.Tests.Coordinator;

public sealed class JournalRetentionTests
{
    private const string Run = "cluster-test";

    [Fact]
    public async Task Retention_OldCheckpointsRemoved_EventsAndSnapshotsBeforeTheOldestKeptDeleted_ResumeBitExact()
    {
        var reference = await ReferenceRuns.RunAsync(new ClusterHarnessOptions { Steps = 8 }); // uninterrupted, whole journal
        using var folder = new TempFolder();
        var runDir = folder.At("run");
        await using (var first = await ClusterHarness.CreateAsync(new ClusterHarnessOptions { RunDir = runDir, Steps = 8, JournalRetention = true, CrashAfterStep = 7 }))
        {
            // An operator keeps the newest checkpoints only: step-000002 goes once step-000004 is written.
            first.AtStep(5, () => Directory.Delete(Path.Combine(runDir, "checkpoints", "step-000002"), recursive: true));
            first.AtStep(6, () => first.Worker("worker-0").Device.HangEvaluations(1)); // step 7 waits until the test has looked
            first.Start();
            await first.WaitForNoteAsync("the events of run cluster-test up to the snapshot of checkpoints/step-000004 (the oldest checkpoint kept) are deleted");
            await first.WaitForNoteAsync("the snapshots of run cluster-test older than the snapshot of checkpoints/step-000004 (the oldest checkpoint kept) are deleted");

            var events = await first.ReadEventsAsync();
            Assert.Equal(5, Assert.IsType<StepCommitted>(events[0]).Step); // the first event after step 4's checkpoint
            Assert.Equal([5L, 6], events.OfType<StepCommitted>().Select(c => c.Step));
            Assert.Equal([6L], events.OfType<CheckpointSaved>().Select(c => c.Step));

            var rows = JournalRows(runDir);
            long boundary = rows.Single(r => r.Manifest == "checkpoint-saved.v1" && Step(r.Json) == 4).SequenceNr;
            Assert.DoesNotContain(rows, r => r.SequenceNr < boundary); // gone from the file, not just marked
            Assert.True(rows.Single(r => r.SequenceNr == boundary).Deleted, "CheckpointSaved of step 4 is still readable"); // the plugin keeps the row of the highest deleted number, marked
            Assert.All(rows.Where(r => r.SequenceNr > boundary), r => Assert.False(r.Deleted));
            Assert.Equal([4L, 6], SnapshotSteps(runDir)); // step 2's snapshot referred to a checkpoint no longer kept

            first.Worker("worker-0").Device.ReleaseHangs();
            Assert.IsType<SimulatedCrashException>(await first.WaitForFailureAsync());
        }

        await using var resumed = await ClusterHarness.StartAsync(new ClusterHarnessOptions { RunDir = runDir, Steps = 8, JournalRetention = true });
        Assert.Equal(8, (await resumed.WaitForCompletionAsync()).Step);
        await resumed.WaitForNoteAsync("from checkpoints/step-000006: step 6, 1 journaled step(s) to recompute and verify");
        Assert.Equal(reference, resumed.FinalWeightsHash());
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8], StepsLogged(runDir)); // cut back to step 6 and rewritten by the replay
        var after = await resumed.ReadEventsAsync();
        Assert.Equal([5L, 6, 7, 8], after.OfType<StepCommitted>().Select(c => c.Step)); // step 7 verified, not appended again
        Assert.IsType<RunCompleted>(after[^1]);
    }

    [Fact]
    public async Task Retention_EveryCheckpointKept_OnlyEventsBeforeTheFirstCheckpointDeleted_ResumeBitExact()
    {
        var reference = await ReferenceRuns.HashAsync(2);
        using var folder = new TempFolder();
        var runDir = folder.At("run");
        await using (var first = await ClusterHarness.CreateAsync(new ClusterHarnessOptions { RunDir = runDir, JournalRetention = true, CrashAfterStep = 5 }))
        {
            first.AtStep(2, () => first.Worker("worker-0").Device.HangEvaluations(1)); // step 3 waits until the test has looked
            first.Start();
            await first.WaitForNoteAsync("the events of run cluster-test up to the snapshot of checkpoints/step-000002 (the oldest checkpoint kept) are deleted");
            await first.WaitForNoteAsync("the snapshots of run cluster-test older than the snapshot of checkpoints/step-000002 (the oldest checkpoint kept) are deleted");
            var events = await first.ReadEventsAsync();
            Assert.Empty(events); // RunStarted, the joins, steps 1-2 and the checkpoint: all in the snapshot now
            Assert.Equal([2L], SnapshotSteps(runDir));

            first.Worker("worker-0").Device.ReleaseHangs();
            Assert.IsType<SimulatedCrashException>(await first.WaitForFailureAsync());
            // Checkpoint 4 moves no boundary: step-000002 is still the oldest kept, and a resume from it needs steps 3-4.
            Assert.Equal([3L, 4, 5], (await first.ReadEventsAsync()).OfType<StepCommitted>().Select(c => c.Step));
        }

        await using var resumed = await ClusterHarness.StartAsync(new ClusterHarnessOptions { RunDir = runDir, JournalRetention = true });
        Assert.Equal(6, (await resumed.WaitForCompletionAsync()).Step);
        await resumed.WaitForNoteAsync("from checkpoints/step-000004: step 4, 1 journaled step(s) to recompute and verify");
        Assert.Equal(reference, resumed.FinalWeightsHash());
        Assert.Equal([3L, 4, 5, 6], (await resumed.ReadEventsAsync()).OfType<StepCommitted>().Select(c => c.Step));
    }

    // ---- the SQLite files as they are on disk ----

    private sealed record Row(long SequenceNr, bool Deleted, string Manifest, string Json);

    /// <summary>Every row the journal file holds for the run, deleted-marked ones included.</summary>
    private static List<Row> JournalRows(string runDir) =>
        Query(ClusterHarness.JournalSpecFor(runDir).Target,
            "SELECT sequence_number, deleted, manifest, message FROM journal WHERE persistence_id = $id ORDER BY sequence_number",
            r => new Row(r.GetInt64(0), r.GetBoolean(1), r.GetString(2), System.Text.Encoding.UTF8.GetString((byte[])r[3])));

    /// <summary>The checkpoint step each snapshot row of the run refers to, in sequence-number order.</summary>
    private static List<long> SnapshotSteps(string runDir) =>
        Query(ClusterHarness.JournalSpecFor(runDir).SnapshotPath,
            "SELECT snapshot FROM snapshot WHERE persistence_id = $id ORDER BY sequence_number",
            r => JsonDocument.Parse((byte[])r[0]).RootElement.GetProperty("checkpoint").GetProperty("step").GetInt64());

    private static List<T> Query<T>(string path, string sql, Func<SqliteDataReader, T> read)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", Run);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }

    private static long? Step(string json) => JsonDocument.Parse(json).RootElement.TryGetProperty("step", out var s) ? s.GetInt64() : null;

    private static long[] StepsLogged(string runDir) =>
        File.ReadAllLines(Path.Combine(runDir, StepsLog.FileName)).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt64()).ToArray();
}
