// `orion coordinator` + `orion worker` processes on loopback, with mutual TLS from `orion certs`: the same checkpoint
// hash as single-node `orion train` for the same N, seed and data; a worker whose certificate comes from another CA
// exits 3 at once and never joins; a coordinator killed with SIGKILL mid-run is restarted with the same command, its
// workers rejoin the new cluster by themselves, and the run still ends bit-identical; /status (with the cluster's
// members, roles and reachability) and /metrics answer while the run waits for workers.
using System.Diagnostics;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Orion.Cli.Tests.Cluster;

[Trait("Category", "MultiProcess")]
public sealed class FleetTests(ITestOutputHelper output)
{
    /// <summary>A cluster CA with certificates for the coordinator and two workers, in DIR/pki.</summary>
    private static string Pki(TempDir dir, string folder = "pki", params string[] nodes)
    {
        var pki = dir.At(folder);
        Cli.Ok("certs", "create-ca", pki);
        foreach (var node in nodes.Length > 0 ? nodes : ["coordinator", "w1", "w2"]) Cli.Ok("certs", "create-node", pki, node);
        return pki;
    }

    private static string[] Tls(string pki, string node) => ["--cert", Path.Combine(pki, node + ".pfx"), "--ca", Path.Combine(pki, "ca.crt")];

    private static OrionProcess Coordinator(TempDir dir, string pki, IReadOnlyDictionary<string, string>? env = null, params string[] extra) =>
        new(env, ["coordinator", "--listen", "127.0.0.1:0", "--run-dir", dir.At("run"), .. Tls(pki, "coordinator"), .. ClusterRuns.Training, .. extra]);

    private static OrionProcess Worker(TempDir dir, string pki, string endpoint, string name) =>
        new(null, ["worker", "--coordinator", endpoint, "--name", name, .. Tls(pki, name), "--cache-dir", dir.At("cache-" + name)]);

    private static string Endpoint(OrionProcess coordinator) => coordinator.WaitForLine(@"listening for workers on https://(127\.0\.0\.1:\d+)/").Groups[1].Value;

    /// <summary>A coordinator of the test run and workers w1 and w2 joining it, all with certificates of one CA.</summary>
    private sealed class TwoWorkerFleet : IDisposable
    {
        public TwoWorkerFleet(TempDir dir, params string[] coordinatorFlags)
        {
            var pki = Pki(dir);
            Coordinator = FleetTests.Coordinator(dir, pki, null, coordinatorFlags);
            var endpoint = Endpoint(Coordinator);
            W1 = Worker(dir, pki, endpoint, "w1");
            W2 = Worker(dir, pki, endpoint, "w2");
        }

        public OrionProcess Coordinator { get; }
        public OrionProcess W1 { get; }
        public OrionProcess W2 { get; }
        public OrionProcess[] All => [Coordinator, W1, W2];

        public void Dispose()
        {
            W2.Dispose();
            W1.Dispose();
            Coordinator.Dispose();
        }
    }

    [Fact]
    public void Fleet_TwoWorkerProcesses_SameHashAsSingleNodeTrain()
    {
        using var dir = new TempDir();
        using var fleet = new TwoWorkerFleet(dir);
        foreach (var p in fleet.All) Assert.True(p.WaitForExit() == 0, OrionProcess.Describe(fleet.All));
        Assert.Contains("the run is over", fleet.W1.Output, StringComparison.Ordinal);
        Assert.Contains("akka.ssl.tcp://", fleet.Coordinator.Output, StringComparison.Ordinal);
        Assert.Equal(ClusterRuns.ReferenceHash, ClusterRuns.Hash(dir.At("run")));
    }

    [Fact]
    public void Fleet_Bf16Gradients_SameHashAsSingleNodeBf16Train()
    {
        // Workers send bf16 (half the bytes); the coordinator of the single-node run rounds to the same values.
        using var dir = new TempDir();
        using var fleet = new TwoWorkerFleet(dir, "--gradients", "bf16");
        foreach (var p in fleet.All) Assert.True(p.WaitForExit() == 0, OrionProcess.Describe(fleet.All));
        using var single = new TempDir();
        Cli.Ok(["train", .. ClusterRuns.Training, "--gradients", "bf16", "--run-dir", single.At("run"), "--cache-dir", single.At("cache")]);
        var bf16 = ClusterRuns.Hash(single.At("run"));
        Assert.NotEqual(ClusterRuns.ReferenceHash, bf16);
        Assert.Equal(bf16, ClusterRuns.Hash(dir.At("run")));
    }

    [Fact]
    public void Fleet_WorkerProcessKilledMidRun_UnreachableShardReassignedSameHash()
    {
        using var dir = new TempDir();
        using var fleet = new TwoWorkerFleet(dir);
        fleet.Coordinator.WaitForLine(@"^step 2/6 ");
        var clock = Stopwatch.StartNew();
        fleet.W2.Kill(); // SIGKILL while step 3's shards are out: no goodbye, only missing heartbeats
        var left = fleet.Coordinator.WaitForLine(@"worker w2 left: (.*)$");
        var detected = clock.Elapsed;
        Assert.True(fleet.Coordinator.WaitForExit() == 0, OrionProcess.Describe(fleet.All));
        Assert.StartsWith("unreachable", left.Groups[1].Value, StringComparison.Ordinal);
        Assert.Equal(ClusterRuns.ReferenceHash, ClusterRuns.Hash(dir.At("run")));
        // Reported, not asserted: timing never decides a test. The heartbeat interval is 1 s.
        output.WriteLine($"kill -> unreachable: {detected.TotalSeconds:0.0} s = {detected.TotalSeconds / 1.0:0.0} heartbeats");
    }

    [Fact]
    public void Worker_CertificateFromAnotherCa_Exits3AtOnceAndNeverJoins()
    {
        using var dir = new TempDir();
        var pki = Pki(dir);
        var other = Pki(dir, "other", "intruder");
        using var coordinator = Coordinator(dir, pki);
        var endpoint = Endpoint(coordinator);
        using var intruder = new OrionProcess(null, ["worker", "--coordinator", endpoint, "--name", "intruder", .. Tls(other, "intruder"), "--cache-dir", dir.At("cache")]);
        int exit = intruder.WaitForExit();
        Assert.True(exit == 3, OrionProcess.Describe([coordinator, intruder]));
        Assert.Contains("refused", intruder.Output, StringComparison.Ordinal);
        Assert.Contains("certificate", intruder.Output, StringComparison.Ordinal);
        coordinator.WaitForLine("refused a TLS client");
        Assert.DoesNotContain("worker intruder joined", coordinator.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Worker_NoCertificateAgainstTlsCoordinator_RefusedWithExit3()
    {
        using var dir = new TempDir();
        var pki = Pki(dir);
        using var coordinator = Coordinator(dir, pki);
        var endpoint = Endpoint(coordinator);
        // No certificate: plain HTTP to the TLS port. The worker must neither hang retrying nor pass as joined.
        using var plain = new OrionProcess(null, "worker", "--coordinator", endpoint, "--name", "plain", "--cache-dir", dir.At("cache"));
        Assert.True(plain.WaitForExit() == 3, OrionProcess.Describe([coordinator, plain]));
        Assert.Contains("TLS", plain.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("worker plain joined", coordinator.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", "404")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 8\r\nConnection: close\r\n\r\n{\"a\":[1,", "other than an Orion hello")]
    public async Task Worker_AddressThatIsNoCoordinator_RefusedWithExit3(string answer, string expected)
    {
        // A web server that is not a coordinator: the worker must say so and stop, not retry forever.
        using var dir = new TempDir();
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var server = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                var stream = client.GetStream();
                var buffer = new byte[4096];
                _ = await stream.ReadAsync(buffer, stop.Token);
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(answer), stop.Token);
            }
        });
        try
        {
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            using var worker = new OrionProcess(null, "worker", "--coordinator", $"127.0.0.1:{port}", "--name", "lost", "--cache-dir", dir.At("cache"));
            Assert.True(worker.WaitForExit() == 3, OrionProcess.Describe([worker]));
            Assert.Contains(expected, worker.Output, StringComparison.Ordinal);
            Assert.Contains("--coordinator", worker.Output, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            listener.Stop();
            await Task.WhenAny(server);
        }
    }

    [Fact]
    public void Coordinator_KilledMidRun_RestartedWithSameCommand_WorkersRejoinAndHashMatches()
    {
        using var dir = new TempDir();
        var pki = Pki(dir);
        var port = FreePort();
        string[] args = ["coordinator", "--listen", $"127.0.0.1:{port}", "--run-dir", dir.At("run"), .. Tls(pki, "coordinator"), .. ClusterRuns.Training];
        using var first = new OrionProcess(new Dictionary<string, string> { [Engine.Diagnostics.CrashPoints.Variable] = "journal-persisted:8" }, args);
        first.WaitForLine("listening for workers");
        var endpoint = $"127.0.0.1:{port}";
        using var w1 = Worker(dir, pki, endpoint, "w1");
        using var w2 = Worker(dir, pki, endpoint, "w2");
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
        var pki = Pki(dir);
        using var coordinator = Coordinator(dir, pki, null, "--http", "127.0.0.1:0");
        var url = coordinator.WaitForLine(@"status on (http://127\.0\.0\.1:\d+/)status").Groups[1].Value;
        // One of the two workers the run waits for joins, so the cluster has two members and the run still waits.
        using var w1 = Worker(dir, pki, Endpoint(coordinator), "w1");
        coordinator.WaitForLine("worker w1 joined");
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        var status = JsonDocument.Parse(await http.GetStringAsync(new Uri(url + "status"))).RootElement;
        Assert.Equal("run", status.GetProperty("runId").GetString());
        Assert.Equal("waiting for workers", status.GetProperty("phase").GetString());
        Assert.Equal(0, status.GetProperty("step").GetInt64());
        Assert.Equal(6, status.GetProperty("steps").GetInt64());
        var members = status.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(2, members.Count);
        Assert.All(members, m => Assert.StartsWith("akka.ssl.tcp://orion@127.0.0.1:", m.GetProperty("address").GetString(), StringComparison.Ordinal));
        Assert.All(members, m => Assert.True(m.GetProperty("reachable").GetBoolean()));
        Assert.All(members, m => Assert.Equal("up", m.GetProperty("status").GetString()));
        Assert.Equal(["coordinator", "worker"], members.Select(m => m.GetProperty("roles")[0].GetString()).Order(StringComparer.Ordinal));
        var metrics = await http.GetStringAsync(new Uri(url + "metrics"));
        Assert.Contains("# TYPE orion_step gauge", metrics, StringComparison.Ordinal);
        Assert.Contains("orion_step{run=\"run\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("orion_cluster_members{run=\"run\",role=\"worker\",status=\"up\",reachable=\"true\"} 1", metrics, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
