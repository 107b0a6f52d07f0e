// The journal contract run against the PostgreSQL journal (a private server, or ORION_TEST_POSTGRES). Streams carry
// a per-test prefix and are deleted afterwards, so the tests can share a database with other users.
using Npgsql;
using Orion.Actors.Persistence;
using Xunit;

namespace Orion.Actors.Tests.Persistence;

[Collection(PostgresCollection.Name)]
[Trait("Category", "PostgreSQL")]
public sealed class PostgresJournalTests(PostgresServerFixture server) : JournalContractTests
{
    private readonly string _trigger = "orion_test_fault_" + Guid.NewGuid().ToString("N")[..12];

    protected override string Spec => "postgres:" + server.ConnectionString;

    protected override Task InjectWriteFaultAsync(string poisonType) => server.ExecuteAsync($"""
        CREATE FUNCTION {_trigger}() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            IF NEW.type = '{poisonType}' THEN RAISE EXCEPTION 'injected fault'; END IF;
            RETURN NEW;
        END $body$;
        CREATE TRIGGER {_trigger} BEFORE INSERT ON orion_journal FOR EACH ROW EXECUTE FUNCTION {_trigger}();
        """);

    protected override async Task CleanupAsync()
    {
        await server.ExecuteAsync($"DROP TRIGGER IF EXISTS {_trigger} ON orion_journal; DROP FUNCTION IF EXISTS {_trigger}();");
        // Parameterized statements run one at a time (extended protocol).
        await server.ExecuteAsync("DELETE FROM orion_journal WHERE starts_with(stream_id, $1)", StreamPrefix);
        await server.ExecuteAsync("DELETE FROM orion_snapshots WHERE starts_with(stream_id, $1)", StreamPrefix);
    }

    [Fact]
    public async Task Description_ConnectionStringWithPassword_NamesHostAndDatabaseButNotThePassword()
    {
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString);
        builder.Password ??= "not-needed-by-trust-auth"; // the private server trusts 127.0.0.1 and ignores it
        await using IJournal journal = await Journals.OpenAsync("postgres:" + builder.ConnectionString);

        Assert.Contains($"Host={builder.Host}", journal.Description);
        Assert.Contains($"Database={builder.Database}", journal.Description);
        Assert.DoesNotContain(builder.Password, journal.Description);
    }

    [Fact]
    public async Task OpenAsync_NewerSchemaVersion_ThrowsNamingTheVersion()
    {
        // A private PostgreSQL schema (Search Path) holds this test's tables, so the shared ones keep version 1.
        string schema = "orion_test_" + Guid.NewGuid().ToString("N")[..12];
        await server.ExecuteAsync($"CREATE SCHEMA {schema}");
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString) { SearchPath = schema };
            await (await Journals.OpenAsync("postgres:" + builder.ConnectionString)).DisposeAsync();
            await server.ExecuteAsync($"UPDATE {schema}.orion_schema_version SET version = 99");

            var e = await Assert.ThrowsAsync<JournalException>(() => Journals.OpenAsync("postgres:" + builder.ConnectionString));
            Assert.Contains($"Database={builder.Database}", e.Message);
            Assert.Contains("schema version 99", e.Message);
            Assert.Contains("newer Orion build", e.Message);
        }
        finally
        {
            await server.ExecuteAsync($"DROP SCHEMA {schema} CASCADE");
        }
    }
}
