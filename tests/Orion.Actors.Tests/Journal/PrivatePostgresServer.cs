// A throw-away PostgreSQL server for the tests: initdb into a temp dir, pg_ctl start on a free 127.0.0.1 port with
// its unix socket inside that dir, stop and delete at the end. initdb refuses to run as root, so as root every
// PostgreSQL binary runs as the `postgres` user (runuser) in a temp dir chowned to it.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Orion.Actors.Tests.Journal;

internal sealed class PrivatePostgresServer : IAsyncDisposable
{
    private const string Database = "orion_journal_test", Superuser = "orion";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    private static readonly string NotInstalled =
        "The PostgreSQL journal tests need PostgreSQL, and no initdb + pg_ctl were found on PATH, in /usr/lib/postgresql/*/bin, " +
        "/usr/local/bin or /usr/local/pgsql/bin. Install it (sudo apt-get install -y postgresql; .ci/run does this on CI), or set " +
        $"{PostgresServerFixture.Variable} to the connection string of a database the tests may create tables in " +
        "(e.g. Host=localhost;Username=postgres;Password=...;Database=orion_test).";

    private readonly string _bin, _root, _data;
    private readonly bool _asPostgresUser;

    private PrivatePostgresServer(string bin, string root, bool asPostgresUser)
    {
        _bin = bin;
        _root = root;
        _data = Path.Combine(root, "data");
        _asPostgresUser = asPostgresUser;
    }

    public string ConnectionString { get; private set; } = "";

    private string LogPath => Path.Combine(_root, "server.log");

    public static async Task<PrivatePostgresServer> StartAsync()
    {
        string bin = FindBinaries() ?? throw new InvalidOperationException(NotInstalled);
        bool asRoot = Environment.UserName == "root";
        // As root the postgres user must reach the dir: /tmp is world-traversable where a TMPDIR under /root is not.
        string root = Path.Combine(asRoot ? "/tmp" : Path.GetTempPath(), $"orion-pg-{Guid.NewGuid():N}"[..21]);
        Directory.CreateDirectory(root);
        var server = new PrivatePostgresServer(bin, root, asRoot);
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync()
    {
        if (_asPostgresUser)
        {
            if ((await RunAsync("id", ["-u", "postgres"])).ExitCode != 0)
                throw new InvalidOperationException(
                    "The tests run as root, where initdb refuses to run, and there is no 'postgres' user to run it as; " +
                    $"install PostgreSQL (apt-get install -y postgresql creates that user) or set {PostgresServerFixture.Variable}.");
            await CheckAsync(RunAsync("chown", ["postgres", _root]), "chown postgres " + _root);
        }
        await CheckAsync(RunPostgresAsync("initdb", ["-D", _data, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]), "initdb");

        // A free port can be taken between our probe and the server's bind: try a few before giving up.
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort();
            (int exit, string output) = await RunPostgresAsync("pg_ctl", ["-D", _data, "-l", LogPath, "-w", "-t", "120",
                "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {_root}", "start"]);
            if (exit == 0)
            {
                ConnectionString = $"Host=127.0.0.1;Port={port};Username={Superuser};Database={Database};Timeout=30;Command Timeout=60";
                break;
            }
            if (attempt == 3)
                throw new InvalidOperationException($"pg_ctl start failed (exit {exit}): {output}\nserver log {LogPath}:\n{ReadLog()}");
        }

        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
        await create.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(_data, "postmaster.pid")))
                await CheckAsync(RunPostgresAsync("pg_ctl", ["-D", _data, "-m", "fast", "-w", "-t", "60", "stop"]), "pg_ctl stop");
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>The first directory holding both initdb and pg_ctl: PATH, then Debian's versioned dirs (newest first), then source installs.</summary>
    private static string? FindBinaries()
    {
        IEnumerable<string> path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int v) ? v : -1)
                .Select(d => Path.Combine(d, "bin"))
            : [];
        return path.Concat(debian).Concat(["/usr/local/bin", "/usr/local/pgsql/bin"])
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private string ReadLog() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "(no log written)";

    private Task<(int ExitCode, string Output)> RunPostgresAsync(string tool, IReadOnlyList<string> arguments)
    {
        string executable = Path.Combine(_bin, tool);
        return _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", executable, .. arguments])
            : RunAsync(executable, arguments);
    }

    private static async Task CheckAsync(Task<(int ExitCode, string Output)> run, string what)
    {
        (int exit, string output) = await run;
        if (exit != 0) throw new InvalidOperationException($"{what} failed (exit {exit}): {output}");
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> arguments)
    {
        // The temp dir as working directory: as the postgres user, the test's own directory may not be readable.
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _root,
        };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {CommandTimeout}");
        }
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }
}
