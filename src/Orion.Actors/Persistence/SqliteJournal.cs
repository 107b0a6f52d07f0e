// The embedded journal: one SQLite file in WAL mode with synchronous=FULL, so a committed append survives kill -9
// and power loss (sqlite.org/wal.html, pragma.html#pragma_synchronous). This part opens, checks and creates the file;
// SqliteJournal.Operations.cs holds the reads and writes.
using Microsoft.Data.Sqlite;

namespace Orion.Actors.Persistence;

internal sealed partial class SqliteJournal : IJournal
{
    /// <summary>How long a write waits for another process that holds the file's write lock (a second coordinator).</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    private const int SqliteCorrupt = 11, SqliteNotADatabase = 26;
    private static readonly Lazy<bool> NativeLibrary = new(() =>
    {
        // SQLitePCLRaw 3.x still needs its provider chosen once per process before the first connection.
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private readonly SemaphoreSlim _gate = new(1, 1); // one SqliteConnection is not thread-safe: every use holds the gate
    private SqliteConnection? _connection;

    private SqliteJournal(SqliteConnection connection, string description, string path)
    {
        _connection = connection;
        Description = description;
        FilePath = path;
    }

    public string Description { get; }

    /// <summary>The journal file's full path.</summary>
    public string FilePath { get; }

    public static async Task<IJournal> OpenAsync(string path, TimeSpan busyTimeout, CancellationToken ct)
    {
        string fullPath = Path.GetFullPath(path);
        string description = Journals.SqlitePrefix + fullPath;
        if (Directory.Exists(fullPath))
            throw new JournalException($"{description}: is a directory, expected a journal file; use e.g. sqlite:{Path.Combine(fullPath, "journal.db")}");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JournalException($"{description}: cannot create the journal's directory: {e.Message}; check the path and its permissions", e);
        }

        _ = NativeLibrary.Value;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // dispose really closes the file: a reopen, a move-aside or a second instance sees it closed
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            Execute(connection, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};");
            CheckIntegrity(connection, description);
            CheckSchema(connection, description);
            // WAL + FULL: a commit returns after the WAL frame is fsynced, so "the task completed" means "durable".
            string mode = Convert.ToString(Scalar(connection, "PRAGMA journal_mode = WAL;"), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            if (!mode.Equals("wal", StringComparison.OrdinalIgnoreCase))
                throw new JournalException($"{description}: SQLite refused WAL mode (journal_mode is '{mode}'); put the journal on a local disk, not a network share");
            Execute(connection, "PRAGMA synchronous = FULL;");
            CreateSchema(connection, description);
            return new SqliteJournal(connection, description, fullPath);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw OpenFailed(description, fullPath, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            // Closing the last connection checkpoints the WAL into the main file and deletes it.
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads a pragma on the journal's own connection (tests check journal_mode and synchronous).</summary>
    internal Task<string> PragmaAsync(string name, CancellationToken ct = default) =>
        RunAsync(c => Convert.ToString(Scalar(c, $"PRAGMA {name};"), System.Globalization.CultureInfo.InvariantCulture) ?? "", "reading a pragma", ct);

    private static void CheckIntegrity(SqliteConnection connection, string description)
    {
        // quick_check reads every page: a truncated or overwritten file fails here, before anything is written to it.
        using SqliteCommand command = Command(connection, "PRAGMA quick_check;");
        using SqliteDataReader reader = command.ExecuteReader();
        var problems = new List<string>();
        while (reader.Read() && problems.Count < 3) problems.Add(reader.GetString(0));
        if (problems is not ["ok"])
            throw Corrupt(description, string.Join("; ", problems));
    }

    /// <summary>Refuses a file this build must not write to, before switching it to WAL or adding tables.</summary>
    private static void CheckSchema(SqliteConnection connection, string description)
    {
        var tables = new List<string>();
        using (SqliteCommand command = Command(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name;"))
        using (SqliteDataReader reader = command.ExecuteReader())
            while (reader.Read()) tables.Add(reader.GetString(0));
        if (tables.Count == 0) return; // a new (or empty) file: CreateSchema makes it a journal
        if (!tables.Contains("orion_schema_version"))
            throw new JournalException(
                $"{description}: is a SQLite database but not an Orion journal (it has the tables {string.Join(", ", tables)} " +
                "and no orion_schema_version table); point the journal at another file, or move this one aside");
        CheckVersion(connection, description);
    }

    private static void CreateSchema(SqliteConnection connection, string description)
    {
        using SqliteTransaction tx = connection.BeginTransaction(); // BEGIN IMMEDIATE: two first opens do not interleave
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS orion_schema_version (version INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS orion_journal (
                stream_id TEXT NOT NULL, sequence INTEGER NOT NULL, type TEXT NOT NULL, payload BLOB NOT NULL,
                written_at TEXT NOT NULL, PRIMARY KEY (stream_id, sequence));
            CREATE TABLE IF NOT EXISTS orion_snapshots (
                stream_id TEXT NOT NULL, sequence INTEGER NOT NULL, payload BLOB NOT NULL,
                written_at TEXT NOT NULL, PRIMARY KEY (stream_id, sequence));
            """, tx);
        Execute(connection, $"INSERT INTO orion_schema_version (version) SELECT {JournalSchema.Version} WHERE NOT EXISTS (SELECT 1 FROM orion_schema_version);", tx);
        CheckVersion(connection, description, tx);
        tx.Commit();
    }

    private static void CheckVersion(SqliteConnection connection, string description, SqliteTransaction? tx = null)
    {
        var versions = new List<long>();
        using (SqliteCommand command = Command(connection, "SELECT version FROM orion_schema_version;", tx))
        using (SqliteDataReader reader = command.ExecuteReader())
            while (reader.Read()) versions.Add(reader.GetInt64(0));
        if (versions.Count == 0 && tx is null) return; // created but not yet stamped: CreateSchema stamps it
        if (versions is not [JournalSchema.Version])
            throw JournalSchema.Unsupported(description, versions.Count == 0 ? 0 : versions.Max(),
                "Open it with the Orion build that wrote it, or move the file aside to start a new journal.");
    }

    private static JournalException OpenFailed(string description, string path, SqliteException e) =>
        e.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt
            ? Corrupt(description, e.Message, e)
            : new JournalException($"{description}: cannot open the journal: {e.Message} (SQLite error {e.SqliteErrorCode}); " +
                                   $"check that {path} and its directory are writable and on a local disk", e);

    private static JournalException Corrupt(string description, string detail, Exception? inner = null)
    {
        string path = description[Journals.SqlitePrefix.Length..];
        return new JournalException(
            $"{description}: the file is not a usable SQLite database ({detail}); it is corrupt, truncated or not a journal. " +
            $"Move it aside (mv '{path}' '{path}.corrupt') to start a new journal, or restore it from a backup.", inner);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using SqliteCommand command = Command(connection, sql, tx);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = Command(connection, sql);
        return command.ExecuteScalar();
    }
}
