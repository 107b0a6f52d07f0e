// The PostgreSQL server the journal tests run against: ORION_TEST_POSTGRES (a connection string) when set, else a
// private throw-away server (PrivatePostgresServer) started for this test run and deleted after it.
using Npgsql;
using Xunit;

namespace Orion.Actors.Tests.Journal;

public sealed class PostgresServerFixture : IAsyncLifetime
{
    public const string Variable = "ORION_TEST_POSTGRES";
    private PrivatePostgresServer? _server;

    /// <summary>A connection string (Npgsql form) to a database the tests may create tables in.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string? external = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            ConnectionString = external;
            return;
        }
        _server = await PrivatePostgresServer.StartAsync();
        ConnectionString = _server.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools(); // the test's own connections; the server stops either way
        if (_server is not null) await _server.DisposeAsync();
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (object p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }
}
