// The fleet's journal: Akka.Persistence.Sql on a real PostgreSQL server (a private one started for the test run, or
// ORION_TEST_POSTGRES). Events round-trip per run id, and a run journaled by the earlier home-grown format is refused.
using Orion.Actors.Journal;
using Orion.TestKit.Cluster;
using Xunit;

namespace Orion.Actors.Tests.Journal;

[Collection(PostgresCollection.Name)]
[Trait("Category", "PostgreSQL")]
public sealed class PostgresJournalTests(PostgresServerFixture server)
{
    private JournalSpec Spec => JournalSpec.Parse(JournalSpec.PostgresPrefix + server.ConnectionString);

    [Fact]
    public async Task Events_WrittenAndReadBack_PerRunId()
    {
        string run = "pg-" + Guid.NewGuid().ToString("N")[..8];
        await Spec.PrepareAsync(run);
        await JournalForger.AppendAsync(Spec, run, new MembershipChanged("w0", true, "a"), new StepCommitted(1, 42, 1e-3f, false, 8f, 64, ["w0"]));
        await JournalForger.AppendAsync(Spec, run + "-other", new RunCompleted(1, "x"));
        await JournalForger.AppendAsync(Spec, run, new RunCompleted(1, "h"));
        var read = await JournalEvents.ReadAsync(Spec, run);
        Assert.Equal(["MembershipChanged", "StepCommitted", "RunCompleted"], read.Select(e => e.TypeName));
        Assert.Equal(42, Assert.IsType<StepCommitted>(read[1]).LossBits);
    }

    [Fact]
    public async Task Prepare_RunInTheEarlierFormat_RefusedOtherRunsNot()
    {
        await server.ExecuteAsync("CREATE TABLE IF NOT EXISTS orion_journal (stream_id text NOT NULL, sequence bigint NOT NULL, type text, payload bytea, written_at timestamptz)");
        await server.ExecuteAsync("INSERT INTO orion_journal (stream_id, sequence, type, payload) VALUES ('legacy-run', 1, 'RunStarted', '\\x00')");
        var e = await Assert.ThrowsAsync<JournalException>(() => Spec.PrepareAsync("legacy-run"));
        Assert.Contains("journaled by an earlier Orion build", e.Message, StringComparison.Ordinal);
        await Spec.PrepareAsync("a-new-run");
    }

    [Fact]
    public async Task Prepare_UnreachableServer_ClearError()
    {
        var spec = JournalSpec.Parse("postgres:Host=127.0.0.1;Port=1;Database=x;Username=u;Timeout=5");
        var e = await Assert.ThrowsAsync<JournalException>(() => spec.PrepareAsync("r"));
        Assert.Contains("cannot reach the journal's database", e.Message, StringComparison.Ordinal);
    }
}
