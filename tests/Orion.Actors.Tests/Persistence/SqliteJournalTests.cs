// The journal contract run against the SQLite journal, plus what only a file can do wrong: real corrupted, truncated
// and foreign files, and a schema written by a newer build, each refused with a JournalException naming the file.
using Microsoft.Data.Sqlite;
using Orion.Actors.Persistence;
using Xunit;

namespace Orion.Actors.Tests.Persistence;

public sealed class SqliteJournalTests : JournalContractTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"orion-journal-{Guid.NewGuid():N}");

    // "runs/a" does not exist yet: opening must create it.
    private string FilePath => Path.Combine(_directory, "runs", "a", "journal.db");

    protected override string Spec => "sqlite:" + FilePath;

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    protected override Task InjectWriteFaultAsync(string poisonType)
    {
        Execute($"""
            CREATE TRIGGER orion_test_fault BEFORE INSERT ON orion_journal WHEN NEW.type = '{poisonType}'
            BEGIN SELECT RAISE(ABORT, 'injected fault'); END;
            """);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OpenAsync_NewFile_UsesWalWithFullSyncAndNamesThePath()
    {
        var journal = (SqliteJournal)await OpenAsync();
        Assert.Equal("sqlite:" + FilePath, journal.Description);
        Assert.Equal("wal", await journal.PragmaAsync("journal_mode"));
        Assert.Equal("2", await journal.PragmaAsync("synchronous")); // 2 = FULL: the WAL is fsynced at every commit
        Assert.True(File.Exists(FilePath));
    }

    [Fact]
    public async Task OpenAsync_RandomBytesFile_ThrowsNamingTheFileWithAHint()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        byte[] noise = new byte[8192];
        new Random(7).NextBytes(noise);
        await File.WriteAllBytesAsync(FilePath, noise);

        await AssertRefusedAsCorruptAsync();
        Assert.Equal(noise, await File.ReadAllBytesAsync(FilePath)); // refused without writing to it
    }

    [Fact]
    public async Task OpenAsync_TruncatedJournal_ThrowsNamingTheFile()
    {
        await WriteJournalWithEventsAsync();
        using (FileStream file = File.OpenWrite(FilePath)) file.SetLength(file.Length / 2);

        await AssertRefusedAsCorruptAsync();
    }

    [Fact]
    public async Task OpenAsync_OverwrittenHeader_ThrowsNamingTheFile()
    {
        await WriteJournalWithEventsAsync();
        using (FileStream file = File.OpenWrite(FilePath)) file.Write(new byte[100]); // the 100-byte database header

        await AssertRefusedAsCorruptAsync();
    }

    [Fact]
    public async Task OpenAsync_DamagedPageInside_ThrowsNamingTheFile()
    {
        await WriteJournalWithEventsAsync();
        using (FileStream file = File.OpenWrite(FilePath))
        {
            file.Position = 4096 * 2; // page 3: a b-tree page, past the intact header
            file.Write(Enumerable.Repeat((byte)0xA5, 4096).ToArray());
        }

        await AssertRefusedAsCorruptAsync();
    }

    [Fact]
    public async Task OpenAsync_NewerSchemaVersion_ThrowsNamingFileAndVersion()
    {
        await (await OpenAsync()).DisposeAsync();
        Execute("UPDATE orion_schema_version SET version = 99;");

        var e = await Assert.ThrowsAsync<JournalException>(OpenAsync);
        Assert.Contains(FilePath, e.Message);
        Assert.Contains("schema version 99", e.Message);
        Assert.Contains("newer Orion build", e.Message);
        Assert.Contains("move the file aside", e.Message);
    }

    [Fact]
    public async Task OpenAsync_ForeignSqliteDatabase_ThrowsAndLeavesItAlone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        Execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);");

        var e = await Assert.ThrowsAsync<JournalException>(OpenAsync);
        Assert.Contains(FilePath, e.Message);
        Assert.Contains("not an Orion journal", e.Message);
        Assert.Contains("customers", e.Message);
        Assert.Equal("delete", Scalar("PRAGMA journal_mode;")); // not switched to WAL: the file is untouched
    }

    [Fact]
    public async Task OpenAsync_PathIsADirectory_ThrowsWithAnExample()
    {
        Directory.CreateDirectory(FilePath);
        var e = await Assert.ThrowsAsync<JournalException>(OpenAsync);
        Assert.Contains("is a directory", e.Message);
    }

    [Fact]
    public async Task AppendAsync_FileLockedByAnotherProcess_ThrowsJournalExceptionAfterTheBusyTimeout()
    {
        await (await OpenAsync()).DisposeAsync();
        await using IJournal journal = await SqliteJournal.OpenAsync(FilePath, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        using SqliteConnection holder = Connect();
        using SqliteTransaction exclusive = holder.BeginTransaction(); // BEGIN IMMEDIATE: holds the write lock
        using (SqliteCommand write = holder.CreateCommand())
        {
            write.Transaction = exclusive;
            write.CommandText = "INSERT INTO orion_snapshots VALUES ('holder', 1, x'00', 'now');";
            write.ExecuteNonQuery();
        }

        var e = await Assert.ThrowsAsync<JournalException>(() => journal.AppendAsync(Stream("run"), [Event(1)]));
        Assert.Contains("appending events 1..1", e.Message);
        Assert.Contains(FilePath, e.Message);
    }

    private async Task WriteJournalWithEventsAsync()
    {
        IJournal journal = await OpenAsync();
        await journal.AppendAsync(Stream("run"), [.. Enumerable.Range(1, 64).Select(i => Event(i, payload: new byte[1000]))]);
        await journal.DisposeAsync(); // checkpoints the WAL into the main file and removes it
        Assert.False(File.Exists(FilePath + "-wal"));
    }

    private async Task AssertRefusedAsCorruptAsync()
    {
        var e = await Assert.ThrowsAsync<JournalException>(OpenAsync);
        Assert.Contains(FilePath, e.Message);
        Assert.Contains("not a usable SQLite database", e.Message);
        Assert.Contains("Move it aside", e.Message);
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private void Execute(string sql)
    {
        using SqliteConnection connection = Connect();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using SqliteConnection connection = Connect();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
