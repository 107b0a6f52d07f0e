// Where the coordinator's events go, from the one-string form --journal and the HOCON config take: "sqlite:PATH"
// (the embedded default, Akka.Persistence.Sql on Microsoft.Data.Sqlite) or "postgres:CONNSTR" (a Npgsql connection
// string, for a fleet). It becomes the Akka.Persistence.Sql settings of the journal and the snapshot store, and it
// prepares the database first: SQLite in WAL mode, and a clear refusal of files this build cannot use.
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Orion.Actors.Journal;

public sealed class JournalSpec
{
    public const string SqlitePrefix = "sqlite:";
    public const string PostgresPrefix = "postgres:";

    /// <summary>The table of the journal that earlier Orion builds wrote (before Akka.Persistence): refused by name.</summary>
    private const string LegacyTable = "orion_journal";

    private const string AcceptedForms =
        "expected 'sqlite:PATH' (e.g. sqlite:runs/journal.db) or 'postgres:CONNSTR' (e.g. postgres:Host=db;Database=orion;Username=orion)";

    private static readonly Lazy<bool> SqliteNative = new(() =>
    {
        // SQLitePCLRaw 3.x needs its provider chosen once per process before the first connection.
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private JournalSpec(bool sqlite, string target, string description)
    {
        IsSqlite = sqlite;
        Target = target;
        Description = description;
    }

    public bool IsSqlite { get; }

    /// <summary>The SQLite file's full path, or the PostgreSQL connection string.</summary>
    public string Target { get; }

    /// <summary>How notes and errors name the journal (never a password).</summary>
    public string Description { get; }

    /// <summary>SQLite keeps snapshots in a file of their own beside the journal, so the two stores never wait on one write lock.</summary>
    public string SnapshotPath => IsSqlite ? Path.ChangeExtension(Target, ".snapshots" + Path.GetExtension(Target)) : Target;

    public static JournalSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.StartsWith(SqlitePrefix, StringComparison.Ordinal))
        {
            string path = spec[SqlitePrefix.Length..];
            if (string.IsNullOrWhiteSpace(path))
                throw new ArgumentException($"journal spec '{spec}' has no path after '{SqlitePrefix}'; {AcceptedForms}", nameof(spec));
            string full = Path.GetFullPath(path);
            return new JournalSpec(true, full, SqlitePrefix + full);
        }
        if (spec.StartsWith(PostgresPrefix, StringComparison.Ordinal))
        {
            string cs = spec[PostgresPrefix.Length..];
            if (string.IsNullOrWhiteSpace(cs))
                throw new ArgumentException($"journal spec '{spec}' has no connection string after '{PostgresPrefix}'; {AcceptedForms}", nameof(spec));
            NpgsqlConnectionStringBuilder builder;
            try
            {
                builder = new NpgsqlConnectionStringBuilder(cs);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"journal spec 'postgres:...': the connection string is not valid ({e.Message}); {AcceptedForms}", nameof(spec), e);
            }
            return new JournalSpec(false, cs, $"{PostgresPrefix}Host={builder.Host};Database={builder.Database}");
        }
        throw new ArgumentException($"journal spec {Shown(spec)} is not recognized; {AcceptedForms}", nameof(spec));
    }

    /// <summary>
    /// Akka.Persistence.Sql for the journal and the snapshot store, with the plugin's own defaults as fallback (they are
    /// not loaded by themselves). SQLite has one writer per file: one journal writer keeps appends in order without lock
    /// waits; PostgreSQL keeps the plugin's default parallelism.
    /// </summary>
    public Config ToConfig()
    {
        string journalCs = IsSqlite ? SqliteConnectionString(Target) : Target;
        string snapshotCs = IsSqlite ? SqliteConnectionString(SnapshotPath) : Target;
        string provider = IsSqlite ? "SQLite.MS" : "PostgreSQL.15";
        string parallelism = IsSqlite ? "parallelism = 1" : "";
        var hocon = $$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  connection-string = {{Quote(journalCs)}}
                  provider-name = "{{provider}}"
                  auto-initialize = true
                  {{parallelism}}
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  connection-string = {{Quote(snapshotCs)}}
                  provider-name = "{{provider}}"
                  auto-initialize = true
                }
              }
            }
            """;
        return ConfigurationFactory.ParseString(hocon).WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
    }

    /// <summary>
    /// Makes the database usable before the actor system touches it: the SQLite files exist in WAL mode (persistent in
    /// the file; readers never block the writer); a file that is not SQLite, or a journal written by an earlier Orion
    /// build for this run, is refused with what to do.
    /// </summary>
    public async Task PrepareAsync(string runId, CancellationToken ct = default)
    {
        if (IsSqlite)
        {
            await PrepareSqliteAsync(Target, runId, ct).ConfigureAwait(false);
            await PrepareSqliteAsync(SnapshotPath, runId, ct).ConfigureAwait(false);
        }
        else
        {
            await CheckPostgresAsync(runId, ct).ConfigureAwait(false);
        }
    }

    private async Task PrepareSqliteAsync(string path, string runId, CancellationToken ct)
    {
        if (Directory.Exists(path))
            throw new JournalException($"{SqlitePrefix}{path}: is a directory, expected a journal file; use e.g. sqlite:{Path.Combine(path, "journal.db")}");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JournalException($"{SqlitePrefix}{path}: cannot create the journal's directory: {e.Message}; check the path and its permissions", e);
        }
        _ = SqliteNative.Value;
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        try
        {
            await using var connection = new SqliteConnection(cs);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            if (await ScalarAsync(connection, $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{LegacyTable}'", ct).ConfigureAwait(false) is long n && n > 0)
                throw Legacy($"{SqlitePrefix}{path}", runId);
            var mode = await ScalarAsync(connection, "PRAGMA journal_mode=WAL", ct).ConfigureAwait(false) as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new JournalException($"{SqlitePrefix}{path}: SQLite refused WAL mode (journal_mode is '{mode}'); put the journal on a local file system");
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26)
        {
            throw new JournalException($"{SqlitePrefix}{path}: is not a usable SQLite database ({e.Message}); move it aside, or point --journal at another file", e);
        }
        catch (SqliteException e)
        {
            throw new JournalException($"{SqlitePrefix}{path}: cannot be opened ({e.Message}); check the path and its permissions", e);
        }
    }

    private async Task CheckPostgresAsync(string runId, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(Target);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"SELECT to_regclass('{LegacyTable}') IS NOT NULL", connection);
            if (await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is true)
            {
                await using var run = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {LegacyTable} WHERE stream_id = @id)", connection);
                run.Parameters.AddWithValue("id", runId);
                if (await run.ExecuteScalarAsync(ct).ConfigureAwait(false) is true) throw Legacy(Description, runId);
            }
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new JournalException($"{Description}: cannot reach the journal's database ({e.Message}); check the server and the connection string", e);
        }
    }

    private static JournalException Legacy(string where, string runId) =>
        new($"{where}: run {runId} was journaled by an earlier Orion build (table {LegacyTable}), whose journal this build does not read; " +
            "this build keeps its journal with Akka.Persistence. Finish that run with the build that started it, or start a new --run-dir");

    private static async Task<object?> ScalarAsync(SqliteConnection c, string sql, CancellationToken ct)
    {
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Busy waits of 30 s: a second process holding the write lock (a rerun started too early) waits, then fails clearly.</summary>
    private static string SqliteConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, DefaultTimeout = 30 }.ToString();

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Echoes a rejected spec, unless it may hold a password (a mistyped "postgresql:...;Password=...").</summary>
    private static string Shown(string spec) =>
        spec.Contains("password", StringComparison.OrdinalIgnoreCase) || spec.Contains("pwd", StringComparison.OrdinalIgnoreCase)
            ? $"'{spec.Split(':', '=')[0]}...' (rest not shown: it holds a password)"
            : $"'{spec}'";
}
