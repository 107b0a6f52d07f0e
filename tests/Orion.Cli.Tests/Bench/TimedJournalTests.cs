// TimedJournal: the step-overhead benchmark's journal share comes from it, so it must count appends and pass data through.
using Orion.Actors.Persistence;
using Orion.Cli.Bench;
using Xunit;

namespace Orion.Cli.Tests.Bench;

public sealed class TimedJournalTests
{
    [Fact]
    public async Task AppendAsync_OneEvent_CountsTimeAndStoresTheEventUnchanged()
    {
        var dir = Directory.CreateTempSubdirectory("orion-timed-journal-");
        try
        {
            await using var journal = new TimedJournal(await Journals.OpenAsync(Journals.SqlitePrefix + Path.Combine(dir.FullName, "journal.db")));
            Assert.Equal(0, journal.AppendTicks);

            await journal.AppendAsync("run", [new JournalEvent(1, "StepCommitted", [1, 2, 3])]);

            Assert.True(journal.AppendTicks > 0);
            Assert.Equal(1, await journal.HighestSequenceAsync("run"));
            var read = new List<JournalEvent>();
            await foreach (var e in journal.ReadAsync("run", 1)) read.Add(e);
            var only = Assert.Single(read);
            Assert.Equal("StepCommitted", only.Type);
            Assert.Equal(new byte[] { 1, 2, 3 }, only.Payload);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
