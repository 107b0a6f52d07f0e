// Creates the PostgreSQL journal's tables when missing and refuses a schema version this build does not know.
// An advisory lock serializes first opens, since CREATE TABLE IF NOT EXISTS can still race on the catalog.
using Npgsql;

namespace Orion.Actors.Persistence;

internal sealed partial class PostgresJournal
{
    private const string SchemaSql = """
        CREATE TABLE IF NOT EXISTS orion_schema_version (version integer NOT NULL);
        CREATE TABLE IF NOT EXISTS orion_journal (
            stream_id text NOT NULL, sequence bigint NOT NULL, type text NOT NULL, payload bytea NOT NULL,
            written_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (stream_id, sequence));
        CREATE TABLE IF NOT EXISTS orion_snapshots (
            stream_id text NOT NULL, sequence bigint NOT NULL, payload bytea NOT NULL,
            written_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (stream_id, sequence));
        """;

    private static async Task EnsureSchemaAsync(NpgsqlConnection c, string description, CancellationToken ct)
    {
        var versions = new List<long>();
        try
        {
            NpgsqlTransaction tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                await ExecuteAsync(c, tx, "SELECT pg_advisory_xact_lock(hashtext('orion_journal_schema'))", ct).ConfigureAwait(false);
                await ExecuteAsync(c, tx, SchemaSql, ct).ConfigureAwait(false);
                await ExecuteAsync(c, tx,
                    $"INSERT INTO orion_schema_version (version) SELECT {JournalSchema.Version} WHERE NOT EXISTS (SELECT 1 FROM orion_schema_version)",
                    ct).ConfigureAwait(false);
                using var select = new NpgsqlCommand("SELECT version FROM orion_schema_version", c, tx);
                NpgsqlDataReader reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                    while (await reader.ReadAsync(ct).ConfigureAwait(false)) versions.Add(reader.GetInt32(0));
                if (versions is [JournalSchema.Version])
                    await tx.CommitAsync(ct).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException e)
        {
            throw new JournalException(
                $"{description}: cannot create or check the journal tables (orion_schema_version, orion_journal, orion_snapshots): " +
                $"{Messages(e)}; the user needs CREATE on the database's public schema, or a DBA can create the tables ahead", e);
        }
        if (versions is not [JournalSchema.Version])
            throw JournalSchema.Unsupported(description, versions.Count == 0 ? 0 : versions.Max(),
                "Open it with the Orion build that wrote it, or point the journal at another database.");
    }

    private static async Task ExecuteAsync(NpgsqlConnection c, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        using var command = new NpgsqlCommand(sql, c, tx);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
