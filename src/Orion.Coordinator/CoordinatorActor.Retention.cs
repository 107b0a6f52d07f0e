// Journal retention (docs/design.md, Journal and recovery): once the snapshot of a checkpoint is saved, the journal's
// events and the snapshots that no checkpoint kept on disk could resume from are deleted. The boundary is the snapshot
// of the oldest complete checkpoint folder: a resume from it, or from any newer kept checkpoint, reads that snapshot
// (or a newer one) and only the events after it. Deleting is best effort: a failure is noted and retried after the
// next checkpoint, never a reason to stop the run.
using Akka.Persistence;
using Orion.Actors.Journal;
using Orion.Engine.Model.Checkpoints;
using CheckpointFiles = Orion.Engine.Model.Checkpoints.Checkpoint;

namespace Orion.Coordinator;

public sealed partial class CoordinatorActor
{
    /// <summary>Snapshots asked for and not yet confirmed: their sequence number (that of their CheckpointSaved) to the checkpoint's step.</summary>
    private readonly Dictionary<long, long> _snapshotsSaving = [];

    /// <summary>
    /// Snapshots known to be in the store, by checkpoint step: the one recovery started from and those saved since.
    /// Only these may bound a deletion — a checkpoint whose snapshot was never confirmed (the save failed, or the process
    /// died first) is resumed from an older snapshot and the events after it.
    /// </summary>
    private readonly SortedDictionary<long, long> _snapshotsSaved = [];

    /// <summary>Everything at or below this sequence number has been asked to go (0: nothing, or the last attempt failed).</summary>
    private long _retainedAfter;

    /// <summary>The checkpoint folder whose snapshot bounds each deletion asked for, by boundary: what the notes name.</summary>
    private readonly Dictionary<long, string> _retaining = [];

    private void SavingSnapshot(CheckpointSaved saved)
    {
        // Called in CheckpointSaved's persist handler, so LastSequenceNr is that event's, and the snapshot's too.
        _snapshotsSaving[LastSequenceNr] = saved.Step;
        SaveSnapshot(new RunSnapshot(_run, saved));
    }

    private void RecoveredSnapshot(SnapshotMetadata metadata, RunSnapshot snapshot) => _snapshotsSaved[snapshot.Checkpoint.Step] = metadata.SequenceNr;

    /// <remarks>
    /// Not called once the run is finishing (OnCommand drops every message then): the last checkpoint's snapshot deletes
    /// nothing, and a completed run keeps the journal it had after its previous checkpoint.
    /// </remarks>
    private void OnSnapshotSaved(SnapshotMetadata metadata)
    {
        if (!_snapshotsSaving.Remove(metadata.SequenceNr, out long step) || !settings.JournalRetention) return;
        _snapshotsSaved[step] = metadata.SequenceNr;
        Retain();
    }

    /// <summary>Deletes the events up to the snapshot of the oldest checkpoint kept on disk, and the snapshots before it.</summary>
    private void Retain()
    {
        if (OldestKeptCheckpoint() is not { } oldest || !_snapshotsSaved.TryGetValue(oldest, out long boundary) || boundary <= _retainedAfter)
            return; // nothing new to delete, or the oldest kept checkpoint's snapshot is not one this process knows of
        _retainedAfter = boundary;
        _retaining[boundary] = Path.Combine("checkpoints", CheckpointFiles.FolderName(oldest));
        foreach (long step in _snapshotsSaved.Keys.Where(s => s < oldest).ToList()) _snapshotsSaved.Remove(step);
        DeleteMessages(boundary); // the event at the boundary is the checkpoint's own CheckpointSaved: its snapshot replaces it
        DeleteSnapshots(new SnapshotSelectionCriteria(boundary - 1));
    }

    /// <summary>The step of the oldest complete checkpoint folder (one with a manifest; .tmp and .old are not), or null.</summary>
    private long? OldestKeptCheckpoint() =>
        LoadedCheckpoint.Complete(Path.Combine(settings.RunDir, "checkpoints")) is { Count: > 0 } all ? all[0].Step : null;

    /// <summary>
    /// Keeps the newest <see cref="CoordinatorSettings.KeepCheckpoints"/> complete checkpoints and deletes the older
    /// ones, once the newest one's CheckpointSaved is durable. A resume never needs a deleted one: it loads the newest
    /// complete checkpoint (which the journal's snapshot, even an older one, allows) and replays the events after it,
    /// which retention never deletes. A folder is renamed first, so a crash mid-delete never leaves what looks like a
    /// complete checkpoint with files missing.
    /// </summary>
    private void PruneCheckpoints(long newestStep)
    {
        if (settings.KeepCheckpoints <= 0) return;
        var dir = Path.Combine(settings.RunDir, "checkpoints");
        var all = LoadedCheckpoint.Complete(dir);
        foreach (var (step, folder) in all.Take(Math.Max(0, all.Count - settings.KeepCheckpoints)))
        {
            if (step >= newestStep) break;
            var doomed = folder + ".deleting";
            try
            {
                Directory.Move(folder, doomed);
                Engine.AtomicFile.SyncDirectory(dir);
                Directory.Delete(doomed, recursive: true);
                settings.Note($"checkpoint {Path.GetRelativePath(settings.RunDir, folder)} deleted (keeping the newest {settings.KeepCheckpoints})");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                settings.Note($"deleting the old checkpoint {folder} failed ({e.Message}); it stays, and the next checkpoint tries again");
            }
        }
        foreach (var leftover in Directory.EnumerateDirectories(dir, "step-*.deleting"))
            try { Directory.Delete(leftover, recursive: true); } catch (IOException) { } // a crash cut an earlier delete short
    }

    private void OnRetention(object reply)
    {
        string Bound(long boundary) => _retaining.TryGetValue(boundary, out var folder) ? $"the snapshot of {folder} (the oldest checkpoint kept)" : $"#{boundary}";
        string run = settings.RunId;
        switch (reply)
        {
            case DeleteMessagesSuccess d:
                settings.Note($"journal retention: the events of run {run} up to {Bound(d.ToSequenceNr)} are deleted (sequence numbers up to #{d.ToSequenceNr})");
                break;
            case DeleteMessagesFailure f:
                _retainedAfter = 0;
                settings.Note($"journal retention: deleting the events of run {run} up to {Bound(f.ToSequenceNr)} failed ({f.Cause.Message}); they stay, and the next checkpoint tries again");
                break;
            case DeleteSnapshotsSuccess d:
                settings.Note($"journal retention: the snapshots of run {run} older than {Bound(d.Criteria.MaxSequenceNr + 1)} are deleted");
                break;
            case DeleteSnapshotsFailure f:
                _retainedAfter = 0;
                settings.Note($"journal retention: deleting the snapshots of run {run} older than {Bound(f.Criteria.MaxSequenceNr + 1)} failed ({f.Cause.Message}); they stay, and the next checkpoint tries again");
                break;
        }
    }
}
