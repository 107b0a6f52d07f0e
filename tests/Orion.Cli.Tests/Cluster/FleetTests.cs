// Issue 5, items 3, 7, 8 and 10 across processes: `orion coordinator` + `orion worker` processes on loopback give
// the same checkpoint hash as single-node `orion train` for the same N, seed and data; a worker with the wrong secret
// exits non-zero at once; a coordinator killed with SIGKILL mid-run is restarted with the same command, its workers
// reconnect, and the run still ends bit-identical; /status and /metrics answer while the run waits for workers.
using System.Text.Json;
using Xunit;

namespace Orion.Cli.Tests.Cluster;

[Trait("Category", "MultiProcess")]
public sealed class FleetTests
{
    private static string Secret(TempDir dir)
    {
        var path = dir.At("cluster.secret");
        File.WriteAllText(path, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        return path;
    }

    private static OrionProcess Coordinator(TempDir dir, string secret, IReadOnlyDictionary<string, string>? env = null, params string[] extra) =>
        new(env, ["coordinator", "--listen", "127.0.0.1:0", "--run-dir", dir.At("run"), "--secret-file", secret, .. ClusterRuns.Training, .. extra]);

    private static OrionProcess Worker(TempDir dir, string secret, string endpoint, string name) =>
        new(null, "worker", "--coordinator", endpoint, "--name", name, "--secret-file", secret, "--cache-dir", dir.At("cache-" + name));

    private static string Endpoint(OrionProcess coordinator) => coordinator.WaitForLine(@"listening for workers on (127\.0\.0\.1:\d+)").Groups[1].Value;

    [Fact]
    public void Fleet_TwoWorkerProcesses_SameHashAsSingleNodeTrain()
    {
        using var dir = new TempDir();
        var secret = Secret(dir);
        using var coordinator = Coordinator(dir, secret);
        var endpoint = Endpoint(coordinator);
        using var w1 = Worker(dir, secret, endpoint, "w1");
        using var w2 = Worker(dir, secret, endpoint, "w2");
        var all = new[] { coordinator, w1, w2 };
        Assert.True(coordinator.WaitForExit() == 0, OrionProcess.Describe(all));
        Assert.True(w1.WaitForExit() == 0, OrionProcess.Describe(all));
        Assert.True(w2.WaitForExit() == 0, OrionProcess.Describe(all));
        Assert.Contains("the run is over", w1.Output, StringComparison.Ordinal);
        Assert.Equal(ClusterRuns.ReferenceHash, ClusterRuns.Hash(dir.At("run")));
    }

    [Fact]
    public void Worker_WrongSecret_ExitsAtOnceNonZeroAndNeverJoins()
    {
        using var dir = new TempDir();
        var secret = Secret(dir);
        using var coordinator = Coordinator(dir, secret);
        var endpoint = Endpoint(coordinator);
        var wrong = dir.At("wrong.secret");
        File.WriteAllText(wrong, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        using var intruder = new OrionProcess(null, "worker", "--coordinator", endpoint, "--name", "intruder", "--secret-file", wrong, "--cache-dir", dir.At("cache"));
        int exit = intruder.WaitForExit();
        Assert.NotEqual(0, exit);
        Assert.Contains("secret", intruder.Output, StringComparison.OrdinalIgnoreCase);
        coordinator.WaitForLine("refused");
        Assert.DoesNotContain("worker intruder joined", coordinator.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Coordinator_KilledMidRun_RestartedWithSameCommand_WorkersRejoinAndHashMatches()
    {
        using var dir = new TempDir();
        var secret = Secret(dir);
        var port = FreePort();
        string[] args = ["coordinator", "--listen", $"127.0.0.1:{port}", "--run-dir", dir.At("run"), "--secret-file", secret, .. ClusterRuns.Training];
        using var first = new OrionProcess(new Dictionary<string, string> { [Engine.Diagnostics.CrashPoints.Variable] = "journal-persisted:8" }, args);
        first.WaitForLine("listening for workers");
        var endpoint = $"127.0.0.1:{port}";
        using var w1 = Worker(dir, secret, endpoint, "w1");
        using var w2 = Worker(dir, secret, endpoint, "w2");
        Assert.NotEqual(0, first.WaitForExit());
        using var second = new OrionProcess(null, args);
        var all = new[] { first, second, w1, w2 };
        Assert.True(second.WaitForExit() == 0, OrionProcess.Describe(all));
        Assert.True(w1.WaitForExit() == 0, OrionProcess.Describe(all));
        Assert.True(w2.WaitForExit() == 0, OrionProcess.Describe(all));
        Assert.Contains("resuming run", second.Output, StringComparison.Ordinal);
        Assert.Equal(ClusterRuns.ReferenceHash, ClusterRuns.Hash(dir.At("run")));
    }

    [Fact]
    public async Task Coordinator_Http_ServesStatusJsonAndPrometheusMetrics()
    {
        using var dir = new TempDir();
        var secret = Secret(dir);
        using var coordinator = Coordinator(dir, secret, null, "--http", "127.0.0.1:0");
        var url = coordinator.WaitForLine(@"status on (http://127\.0\.0\.1:\d+/)status").Groups[1].Value;
        coordinator.WaitForLine("new run");
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        var status = JsonDocument.Parse(await http.GetStringAsync(new Uri(url + "status"))).RootElement;
        Assert.Equal("run", status.GetProperty("runId").GetString());
        Assert.Equal("waiting for workers", status.GetProperty("phase").GetString());
        Assert.Equal(0, status.GetProperty("step").GetInt64());
        Assert.Equal(6, status.GetProperty("steps").GetInt64());
        var metrics = await http.GetStringAsync(new Uri(url + "metrics"));
        Assert.Contains("# TYPE orion_step gauge", metrics, StringComparison.Ordinal);
        Assert.Contains("orion_step{run=\"run\"} 0", metrics, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
