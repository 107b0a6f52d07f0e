// The event journal of the event-sourced coordinator (Akka.Persistence semantics: an event is durable before the
// actor acts on it). Implementations: SQLite (embedded default) and PostgreSQL, both held to JournalContractTests.
namespace Orion.Actors.Persistence;

public interface IJournal : IAsyncDisposable
{
    /// <summary>Where the journal lives, e.g. "sqlite:/runs/r1/journal.db" or "postgres:Host=db;Database=orion"; never a password.</summary>
    string Description { get; }

    /// <summary>The stream's highest event sequence, 0 when the stream is empty.</summary>
    Task<long> HighestSequenceAsync(string streamId, CancellationToken ct = default);

    /// <summary>
    /// Appends a batch atomically; it is durable when the task completes (SQLite: WAL + synchronous=FULL; PostgreSQL:
    /// a committed transaction). events[i].Sequence must be highest + 1 + i, else <see cref="JournalConcurrencyException"/>.
    /// Any storage failure is thrown as a <see cref="JournalException"/>; the caller must stop, never carry on.
    /// </summary>
    Task AppendAsync(string streamId, IReadOnlyList<JournalEvent> events, CancellationToken ct = default);

    /// <summary>The stream's events with Sequence &gt;= fromSequence, in ascending order.</summary>
    IAsyncEnumerable<JournalEvent> ReadAsync(string streamId, long fromSequence, CancellationToken ct = default);

    /// <summary>Stores a snapshot durably; a second snapshot at the same sequence replaces the first.</summary>
    Task SaveSnapshotAsync(string streamId, SnapshotRecord snapshot, CancellationToken ct = default);

    /// <summary>The snapshot with the highest sequence, or null when the stream has none.</summary>
    Task<SnapshotRecord?> LoadSnapshotAsync(string streamId, CancellationToken ct = default);
}
