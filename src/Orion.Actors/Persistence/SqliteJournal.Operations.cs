// Reads and writes of the SQLite journal: every statement runs on the one connection under the gate, a write is one
// BEGIN IMMEDIATE transaction (the file's write lock, so a second process waits, then sees the new highest sequence).
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Orion.Engine.Diagnostics;

namespace Orion.Actors.Persistence;

internal sealed partial class SqliteJournal
{
    /// <summary>Events read per trip under the gate; the gate is released between pages so a reader never blocks writers.</summary>

    public Task<long> HighestSequenceAsync(string streamId, CancellationToken ct = default)
    {
        JournalArguments.CheckStream(streamId);
        return RunAsync(c => Highest(c, streamId, null), $"reading the highest sequence of stream '{streamId}'", ct);
    }

    public Task AppendAsync(string streamId, IReadOnlyList<JournalEvent> events, CancellationToken ct = default)
    {
        JournalArguments.CheckEvents(streamId, events);
        if (events.Count == 0) return Task.CompletedTask;
        return RunAsync(c =>
        {
            try
            {
                using SqliteTransaction tx = c.BeginTransaction(); // BEGIN IMMEDIATE
                JournalArguments.CheckContiguous(Description, streamId, Highest(c, streamId, tx), events);
                using SqliteCommand insert = Command(c,
                    "INSERT INTO orion_journal (stream_id, sequence, type, payload, written_at) VALUES ($stream, $sequence, $type, $payload, $at);", tx);
                SqliteParameter sequence = insert.Parameters.Add("$sequence", SqliteType.Integer);
                SqliteParameter type = insert.Parameters.Add("$type", SqliteType.Text);
                SqliteParameter payload = insert.Parameters.Add("$payload", SqliteType.Blob);
                insert.Parameters.AddWithValue("$stream", streamId);
                insert.Parameters.AddWithValue("$at", Now());
                foreach (JournalEvent e in events)
                {
                    sequence.Value = e.Sequence;
                    type.Value = e.Type;
                    payload.Value = e.Payload;
                    insert.ExecuteNonQuery();
                }
                CrashPoints.Hit("journal-append"); // rows written, not committed: a kill here must lose the whole batch
                tx.Commit();
                return true;
            }
            catch (SqliteException e)
            {
                throw new JournalException(JournalArguments.AppendFailed(Description, streamId, events, e), e);
            }
        }, null, ct);
    }

    public IAsyncEnumerable<JournalEvent> ReadAsync(string streamId, long fromSequence, CancellationToken ct = default)
    {
        JournalArguments.CheckStream(streamId);
        JournalArguments.CheckFrom(fromSequence);
        return JournalArguments.ReadPages(fromSequence, (next, token) => RunAsync(c => ReadPage(c, streamId, next), $"reading stream '{streamId}' from sequence {next}", token), ct);
    }

    public Task SaveSnapshotAsync(string streamId, SnapshotRecord snapshot, CancellationToken ct = default)
    {
        JournalArguments.CheckSnapshot(streamId, snapshot);
        return RunAsync(c =>
        {
            using SqliteTransaction tx = c.BeginTransaction();
            using SqliteCommand upsert = Command(c, """
                INSERT INTO orion_snapshots (stream_id, sequence, payload, written_at) VALUES ($stream, $sequence, $payload, $at)
                ON CONFLICT (stream_id, sequence) DO UPDATE SET payload = excluded.payload, written_at = excluded.written_at;
                """, tx);
            upsert.Parameters.AddWithValue("$stream", streamId);
            upsert.Parameters.AddWithValue("$sequence", snapshot.Sequence);
            upsert.Parameters.Add("$payload", SqliteType.Blob).Value = snapshot.Payload;
            upsert.Parameters.AddWithValue("$at", Now());
            upsert.ExecuteNonQuery();
            CrashPoints.Hit("snapshot-save");
            tx.Commit();
            return true;
        }, $"saving the snapshot at sequence {snapshot.Sequence} of stream '{streamId}'", ct);
    }

    public Task<SnapshotRecord?> LoadSnapshotAsync(string streamId, CancellationToken ct = default)
    {
        JournalArguments.CheckStream(streamId);
        return RunAsync(c =>
        {
            using SqliteCommand select = Command(c,
                "SELECT sequence, payload FROM orion_snapshots WHERE stream_id = $stream ORDER BY sequence DESC LIMIT 1;");
            select.Parameters.AddWithValue("$stream", streamId);
            using SqliteDataReader reader = select.ExecuteReader();
            return reader.Read() ? new SnapshotRecord(reader.GetInt64(0), Blob(reader, 1)) : null;
        }, $"loading the latest snapshot of stream '{streamId}'", ct);
    }

    private static long Highest(SqliteConnection c, string streamId, SqliteTransaction? tx)
    {
        using SqliteCommand select = Command(c, "SELECT coalesce(max(sequence), 0) FROM orion_journal WHERE stream_id = $stream;", tx);
        select.Parameters.AddWithValue("$stream", streamId);
        return Convert.ToInt64(select.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static List<JournalEvent> ReadPage(SqliteConnection c, string streamId, long from)
    {
        using SqliteCommand select = Command(c, """
            SELECT sequence, type, payload FROM orion_journal WHERE stream_id = $stream AND sequence >= $from
            ORDER BY sequence LIMIT $limit;
            """);
        select.Parameters.AddWithValue("$stream", streamId);
        select.Parameters.AddWithValue("$from", from);
        select.Parameters.AddWithValue("$limit", JournalArguments.ReadPageSize);
        using SqliteDataReader reader = select.ExecuteReader();
        var page = new List<JournalEvent>();
        while (reader.Read()) page.Add(new JournalEvent(reader.GetInt64(0), reader.GetString(1), Blob(reader, 2)));
        return page;
    }

    // A zero-length BLOB comes back from SQLite as a null pointer; the journal hands it back as an empty array.
    private static byte[] Blob(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : reader.GetFieldValue<byte[]>(ordinal);

    private static string Now() => DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="work"/> on the connection under the gate; storage errors become JournalExceptions naming <paramref name="what"/>.</summary>
    private async Task<T> RunAsync<T>(Func<SqliteConnection, T> work, string? what, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_connection is null, this);
            ct.ThrowIfCancellationRequested();
            return work(_connection);
        }
        catch (SqliteException e) when (what is not null)
        {
            throw e.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt
                ? Corrupt(Description, e.Message, e)
                : new JournalException($"{Description}: {what} failed: {e.Message} (SQLite error {e.SqliteErrorCode})", e);
        }
        finally
        {
            _gate.Release();
        }
    }
}
