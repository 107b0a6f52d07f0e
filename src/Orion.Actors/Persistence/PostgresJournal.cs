// The fleet journal: tables in a PostgreSQL database, every append one committed transaction (durable once COMMIT
// returns, with the server's default synchronous_commit=on). The primary key (stream_id, sequence) is the real guard
// against two writers; the highest-sequence check only makes the common case clearer. Schema: PostgresJournal.Schema.cs.
using System.Runtime.CompilerServices;
using Npgsql;
using Orion.Engine.Diagnostics;

namespace Orion.Actors.Persistence;

internal sealed partial class PostgresJournal : IJournal
{
    private readonly NpgsqlDataSource _dataSource;
    private int _disposed;

    private PostgresJournal(NpgsqlDataSource dataSource, string description)
    {
        _dataSource = dataSource;
        Description = description;
    }

    public string Description { get; }

    public static async Task<IJournal> OpenAsync(string connectionString, CancellationToken ct)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException(
                $"the postgres journal's connection string is not valid ({e.Message}); expected e.g. " +
                "'postgres:Host=db;Port=5432;Database=orion;Username=orion;Password=...' (Npgsql keywords)", "spec", e);
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new ArgumentException($"the postgres journal's connection string has no Host; expected e.g. 'postgres:Host=db;Database=orion;Username=orion'", "spec");

        string description = Describe(builder);
        NpgsqlDataSource dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            NpgsqlConnection connection;
            try
            {
                connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                throw new JournalException(
                    $"{description}: cannot connect to the PostgreSQL server at {builder.Host}:{builder.Port}, database '{builder.Database}': " +
                    $"{Messages(e)}. Check that the server is running and reachable and that the connection string's Host, Port, " +
                    "Database, Username and Password are right", e);
            }
            await using (connection.ConfigureAwait(false))
                await EnsureSchemaAsync(connection, description, ct).ConfigureAwait(false);
            return new PostgresJournal(dataSource, description);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<long> HighestSequenceAsync(string streamId, CancellationToken ct = default)
    {
        JournalArguments.CheckStream(streamId);
        NpgsqlConnection c = await ConnectAsync(ct).ConfigureAwait(false);
        await using (c.ConfigureAwait(false))
        {
            try
            {
                return await HighestAsync(c, null, streamId, ct).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                throw Failed($"reading the highest sequence of stream '{streamId}'", e);
            }
        }
    }

    public async Task AppendAsync(string streamId, IReadOnlyList<JournalEvent> events, CancellationToken ct = default)
    {
        JournalArguments.CheckEvents(streamId, events);
        if (events.Count == 0) return;
        NpgsqlConnection c = await ConnectAsync(ct).ConfigureAwait(false);
        await using (c.ConfigureAwait(false))
        {
            try
            {
                NpgsqlTransaction tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using (tx.ConfigureAwait(false))
                {
                    JournalArguments.CheckContiguous(Description, streamId, await HighestAsync(c, tx, streamId, ct).ConfigureAwait(false), events);
                    using var batch = new NpgsqlBatch(c, tx);
                    foreach (JournalEvent e in events)
                    {
                        var insert = new NpgsqlBatchCommand(
                            "INSERT INTO orion_journal (stream_id, sequence, type, payload, written_at) VALUES ($1, $2, $3, $4, now())");
                        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
                        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Sequence });
                        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Type });
                        insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = e.Payload });
                        batch.BatchCommands.Add(insert);
                    }
                    await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    CrashPoints.Hit("journal-append"); // rows written, not committed: a kill here must lose the whole batch
                    await tx.CommitAsync(ct).ConfigureAwait(false);
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new JournalConcurrencyException(
                    $"{Description}: stream '{streamId}': another writer appended sequence {events[0].Sequence} or later at the same moment " +
                    "(unique violation on (stream_id, sequence)); nothing from this batch was written. A second coordinator on the same run? " +
                    "Stop and recover from the journal.", e);
            }
            catch (NpgsqlException e)
            {
                throw new JournalException(JournalArguments.AppendFailed(Description, streamId, events, e), e);
            }
        }
    }

    public IAsyncEnumerable<JournalEvent> ReadAsync(string streamId, long fromSequence, CancellationToken ct = default)
    {
        JournalArguments.CheckStream(streamId);
        JournalArguments.CheckFrom(fromSequence);
        return JournalArguments.ReadPages(fromSequence, (next, token) => ReadPageAsync(streamId, next, token), ct);
    }

    public async Task SaveSnapshotAsync(string streamId, SnapshotRecord snapshot, CancellationToken ct = default)
    {
        JournalArguments.CheckSnapshot(streamId, snapshot);
        NpgsqlConnection c = await ConnectAsync(ct).ConfigureAwait(false);
        await using (c.ConfigureAwait(false))
        {
            try
            {
                NpgsqlTransaction tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using (tx.ConfigureAwait(false))
                {
                    using var upsert = new NpgsqlCommand("""
                        INSERT INTO orion_snapshots (stream_id, sequence, payload, written_at) VALUES ($1, $2, $3, now())
                        ON CONFLICT (stream_id, sequence) DO UPDATE SET payload = excluded.payload, written_at = excluded.written_at
                        """, c, tx);
                    upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
                    upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = snapshot.Sequence });
                    upsert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = snapshot.Payload });
                    await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    CrashPoints.Hit("snapshot-save");
                    await tx.CommitAsync(ct).ConfigureAwait(false);
                }
            }
            catch (NpgsqlException e)
            {
                throw Failed($"saving the snapshot at sequence {snapshot.Sequence} of stream '{streamId}'", e);
            }
        }
    }

    public async Task<SnapshotRecord?> LoadSnapshotAsync(string streamId, CancellationToken ct = default)
    {
        JournalArguments.CheckStream(streamId);
        NpgsqlConnection c = await ConnectAsync(ct).ConfigureAwait(false);
        await using (c.ConfigureAwait(false))
        {
            try
            {
                using var select = new NpgsqlCommand(
                    "SELECT sequence, payload FROM orion_snapshots WHERE stream_id = $1 ORDER BY sequence DESC LIMIT 1", c);
                select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
                NpgsqlDataReader reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                    return await reader.ReadAsync(ct).ConfigureAwait(false) ? new SnapshotRecord(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : null;
            }
            catch (NpgsqlException e)
            {
                throw Failed($"loading the latest snapshot of stream '{streamId}'", e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<List<JournalEvent>> ReadPageAsync(string streamId, long from, CancellationToken ct)
    {
        NpgsqlConnection c = await ConnectAsync(ct).ConfigureAwait(false);
        await using (c.ConfigureAwait(false))
        {
            try
            {
                using var select = new NpgsqlCommand(
                    "SELECT sequence, type, payload FROM orion_journal WHERE stream_id = $1 AND sequence >= $2 ORDER BY sequence LIMIT $3", c);
                select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
                select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from });
                select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = JournalArguments.ReadPageSize });
                var page = new List<JournalEvent>();
                NpgsqlDataReader reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        page.Add(new JournalEvent(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
                return page;
            }
            catch (NpgsqlException e)
            {
                throw Failed($"reading stream '{streamId}' from sequence {from}", e);
            }
        }
    }

    private static async Task<long> HighestAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string streamId, CancellationToken ct)
    {
        using var select = new NpgsqlCommand("SELECT coalesce(max(sequence), 0) FROM orion_journal WHERE stream_id = $1", c, tx);
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        return (long)(await select.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private async Task<NpgsqlConnection> ConnectAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            return await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new JournalException($"{Description}: cannot connect to the PostgreSQL server: {Messages(e)}; check that it is running and reachable", e);
        }
    }

    private JournalException Failed(string what, NpgsqlException e) =>
        new($"{Description}: {what} failed: {Messages(e)}", e);

    /// <summary>The journal's identity without secrets: only host, port, database and user are shown.</summary>
    internal static string Describe(NpgsqlConnectionStringBuilder b) =>
        $"{Journals.PostgresPrefix}Host={b.Host};Port={b.Port};Database={b.Database ?? b.Username};Username={b.Username}";

    /// <summary>Npgsql's outer message ("Failed to connect to ...") plus the cause ("Connection refused").</summary>
    private static string Messages(Exception e) =>
        string.Join(": ", Enumerable.Repeat(e, 1).Concat(e.InnerException is { } inner ? [inner] : []).Select(x => x.Message.TrimEnd('.')).Distinct());
}
