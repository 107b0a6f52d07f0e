// Journals.OpenAsync, the spec parser every host uses: the two accepted forms, and clear refusals for the rest,
// including a PostgreSQL server that is not there (no server needed: the port is closed on purpose).
using System.Net;
using System.Net.Sockets;
using Orion.Actors.Persistence;
using Xunit;

namespace Orion.Actors.Tests.Persistence;

public sealed class JournalsTests
{
    [Theory]
    [InlineData("journal.db")]
    [InlineData("mysql:Host=db")]
    [InlineData("SQLITE:journal.db")]
    [InlineData("sqlite:")]
    [InlineData("postgres:  ")]
    public async Task OpenAsync_UnknownOrEmptySpec_ThrowsArgumentExceptionListingTheForms(string spec)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Journals.OpenAsync(spec));
        Assert.Contains("'sqlite:PATH'", e.Message);
        Assert.Contains("'postgres:CONNSTR'", e.Message);
    }

    [Fact]
    public async Task OpenAsync_MistypedSchemeWithPassword_DoesNotEchoThePassword()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Journals.OpenAsync("postgresql:Host=db;Password=hunter2"));
        Assert.DoesNotContain("hunter2", e.Message);
        Assert.Contains("postgresql", e.Message);
    }

    [Theory]
    [InlineData("postgres:Hots=db")]
    [InlineData("postgres:Database=orion")]
    public async Task OpenAsync_BadPostgresConnectionString_ThrowsArgumentException(string spec)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Journals.OpenAsync(spec));
        Assert.Contains("Host=db", e.Message); // the example of a valid one
    }

    [Fact]
    public async Task OpenAsync_PostgresServerNotListening_ThrowsNamingHostAndDatabaseNotPassword()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var e = await Assert.ThrowsAsync<JournalException>(() =>
            Journals.OpenAsync($"postgres:Host=127.0.0.1;Port={closedPort};Database=nowhere;Username=orion;Password=hunter2;Timeout=10"));
        Assert.Contains($"127.0.0.1:{closedPort}", e.Message);
        Assert.Contains("database 'nowhere'", e.Message);
        Assert.Contains("cannot connect", e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
    }
}
