// Argument checks shared by every IJournal at its public edge (the Channels pattern: validate with nameof at the edge,
// keep the implementations free of it), plus the contiguity rule that turns a stale writer into a clear exception.
namespace Orion.Actors.Persistence;

internal static class JournalArguments
{
    public static void CheckStream(string streamId)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
    }

    public static void CheckEvents(string streamId, IReadOnlyList<JournalEvent> events)
    {
        CheckStream(streamId);
        ArgumentNullException.ThrowIfNull(events);
        for (int i = 0; i < events.Count; i++)
        {
            JournalEvent e = events[i] ?? throw new ArgumentException($"events[{i}] is null", nameof(events));
            if (string.IsNullOrEmpty(e.Type))
                throw new ArgumentException($"events[{i}] (sequence {e.Sequence}) has no Type; every event needs a type name", nameof(events));
            if (e.Payload is null)
                throw new ArgumentException($"events[{i}] (sequence {e.Sequence}) has a null Payload; use an empty array for no data", nameof(events));
        }
    }

    public static void CheckFrom(long fromSequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromSequence);
    }

    public static void CheckSnapshot(string streamId, SnapshotRecord snapshot)
    {
        CheckStream(streamId);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentOutOfRangeException.ThrowIfNegative(snapshot.Sequence, nameof(snapshot));
        if (snapshot.Payload is null)
            throw new ArgumentException($"the snapshot at sequence {snapshot.Sequence} has a null Payload", nameof(snapshot));
    }

    /// <summary>Called inside the write transaction, after reading the stream's highest sequence.</summary>
    public static void CheckContiguous(string description, string streamId, long highest, IReadOnlyList<JournalEvent> events)
    {
        for (int i = 0; i < events.Count; i++)
        {
            long expected = highest + 1 + i;
            if (events[i].Sequence != expected)
                throw new JournalConcurrencyException(
                    $"{description}: stream '{streamId}' is at sequence {highest}, so events[{i}] must have sequence {expected}, " +
                    $"not {events[i].Sequence}; nothing from this batch was written. Another writer appended to this stream " +
                    "(a second coordinator on the same run?) or the writer's view of the stream is stale: stop and recover from the journal.");
        }
    }

    /// <summary>The message of a write that failed in storage; the batch must be treated as not durable.</summary>
    public static string AppendFailed(string description, string streamId, IReadOnlyList<JournalEvent> events, Exception e) =>
        $"{description}: appending events {events[0].Sequence}..{events[^1].Sequence} to stream '{streamId}' failed: {e.Message}. " +
        "The batch is not durable; the writer must stop and recover from the journal.";

    /// <summary>Rows per read page, for both journals: a slow reader never holds a connection or blocks writers.</summary>
    internal const int ReadPageSize = 256;

    /// <summary>Streams a stream page by page from <paramref name="fromSequence"/>; a short page is the last.</summary>
    internal static async IAsyncEnumerable<JournalEvent> ReadPages(long fromSequence, Func<long, CancellationToken, Task<List<JournalEvent>>> readPage,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        long next = fromSequence;
        while (true)
        {
            List<JournalEvent> page = await readPage(next, ct).ConfigureAwait(false);
            foreach (JournalEvent e in page) yield return e;
            if (page.Count < ReadPageSize) yield break;
            next = page[^1].Sequence + 1;
        }
    }
}
