// The journal spec (sqlite:PATH | postgres:CONNSTR) and how it prepares SQLite: WAL on, full sync, and clear refusals of
// files it cannot use (a directory, a file that is not SQLite, a journal of the earlier home-grown format).
using Microsoft.Data.Sqlite;
using Orion.Actors.Journal;
using Orion.TestKit.Cluster;
using Xunit;

namespace Orion.Actors.Tests.Journal;

public sealed class JournalSpecTests
{
    [Fact]
    public void Parse_SqliteRelativePath_FullPathSnapshotsBesideIt()
    {
        var spec = JournalSpec.Parse("sqlite:runs/a/journal.db");
        Assert.True(spec.IsSqlite);
        Assert.Equal(Path.GetFullPath("runs/a/journal.db"), spec.Target);
        Assert.Equal(Path.GetFullPath("runs/a/journal.snapshots.db"), spec.SnapshotPath);
        Assert.Equal("sqlite:" + Path.GetFullPath("runs/a/journal.db"), spec.Description);
    }

    [Theory]
    [InlineData("mysql:x", "is not recognized")]
    [InlineData("sqlite:", "has no path")]
    [InlineData("postgres:", "has no connection string")]
    public void Parse_BadSpec_SaysWhatIsAccepted(string spec, string why)
    {
        var e = Assert.Throws<ArgumentException>(() => JournalSpec.Parse(spec));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains("expected 'sqlite:PATH'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MistypedSpecWithPassword_PasswordNotEchoed()
    {
        var e = Assert.Throws<ArgumentException>(() => JournalSpec.Parse("postgresql:Host=db;Password=hunter2"));
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Postgres_DescriptionNamesHostAndDatabaseButNoPassword()
    {
        var spec = JournalSpec.Parse("postgres:Host=db.local;Database=orion;Username=u;Password=hunter2");
        Assert.False(spec.IsSqlite);
        Assert.Equal("postgres:Host=db.local;Database=orion", spec.Description);
    }

    [Fact]
    public async Task Prepare_NewSqliteFiles_WalModeAndFullSync()
    {
        using var dir = new TempFolder();
        var spec = JournalSpec.Parse("sqlite:" + dir.At(Path.Combine("run", "journal.db")));
        await spec.PrepareAsync("r");
        foreach (var file in new[] { spec.Target, spec.SnapshotPath })
        {
            await using var c = new SqliteConnection($"Data Source={file};Pooling=False");
            await c.OpenAsync();
            Assert.Equal("wal", await Scalar(c, "PRAGMA journal_mode"));
            // The plugin's connections keep SQLite's default: an fsync per commit, so an acknowledged event survives kill -9.
            Assert.Equal(2L, await Scalar(c, "PRAGMA synchronous"));
        }
    }

    [Fact]
    public async Task Prepare_Directory_RefusedWithHint()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.At("journal.db"));
        var e = await Assert.ThrowsAsync<JournalException>(() => JournalSpec.Parse("sqlite:" + dir.At("journal.db")).PrepareAsync("r"));
        Assert.Contains("is a directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_NotSqlite_RefusedNamingTheFile()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.At("run"));
        await File.WriteAllTextAsync(dir.At(Path.Combine("run", "journal.db")), new string('x', 4096));
        var e = await Assert.ThrowsAsync<JournalException>(() => JournalSpec.Parse("sqlite:" + dir.At(Path.Combine("run", "journal.db"))).PrepareAsync("r"));
        Assert.Contains(dir.At(Path.Combine("run", "journal.db")), e.Message, StringComparison.Ordinal);
        Assert.Contains("not a usable SQLite database", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_JournalOfTheEarlierFormat_RefusedSayingSo()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.At("run"));
        var path = dir.At(Path.Combine("run", "journal.db"));
        await using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await c.OpenAsync();
            await using var create = c.CreateCommand();
            create.CommandText = "CREATE TABLE orion_journal (stream_id TEXT, sequence INTEGER, type TEXT, payload BLOB, written_at TEXT)";
            await create.ExecuteNonQueryAsync();
        }
        var e = await Assert.ThrowsAsync<JournalException>(() => JournalSpec.Parse("sqlite:" + path).PrepareAsync("run"));
        Assert.Contains("journaled by an earlier Orion build", e.Message, StringComparison.Ordinal);
        Assert.Contains("new --run-dir", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_WrittenAndReadBackThroughThePlugin_SameRecords()
    {
        using var dir = new TempFolder();
        var spec = JournalSpec.Parse("sqlite:" + dir.At(Path.Combine("run", "journal.db")));
        await spec.PrepareAsync("r");
        await JournalEvents.ReadAsync(spec, "r"); // an empty run reads as no events
        RunEvent[] written =
        [
            new MembershipChanged("w0", true, "in-process"),
            new StepCommitted(1, BitConverter.SingleToInt32Bits(float.NaN), 3e-4f, true, 1024f, 128, ["w0", "w1"]),
            new RunCompleted(1, "abc"),
        ];
        await JournalForger.AppendAsync(spec, "r", written);
        await JournalForger.AppendAsync(spec, "other-run", new RunCompleted(9, "zzz"));
        var read = await JournalEvents.ReadAsync(spec, "r");
        Assert.Equal(3, read.Count);
        Assert.Equal(written[0], read[0]);
        var step = Assert.IsType<StepCommitted>(read[1]);
        Assert.Equal(((StepCommitted)written[1]).LossBits, step.LossBits);
        Assert.Equal(["w0", "w1"], step.Workers);
        Assert.Equal(written[2], read[2]);
    }

    private static async Task<object?> Scalar(SqliteConnection c, string sql)
    {
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
