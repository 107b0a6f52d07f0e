// GET /status (JSON) and GET /metrics (Prometheus text format 0.0.4) as StatusFormat renders a ClusterStatus and
// StatusServer serves it: every line parses, every metric has HELP and TYPE, label values are escaped.
using System.Net;
using System.Text.Json;
using Orion.Coordinator;
using Orion.TestKit.Cluster;
using Orion.Actors.Protocol;
using Xunit;

namespace Orion.Cluster.Tests.Coordinator.Status;

public sealed class StatusFormatTests
{
    private static readonly string[] Metrics =
    [
        "orion_step", "orion_steps_target", "orion_loss", "orion_tokens_per_second", "orion_replay_remaining", "orion_degraded_events_total",
        "orion_workers", "orion_worker_compiles_total", "orion_worker_cache_hits_total", "orion_worker_cache_misses_total",
        "orion_worker_cache_invalidations_total", "orion_worker_delta_patched_files_total", "orion_worker_device_recycles_total",
        "orion_worker_shards_total", "orion_worker_bytes_exchanged_total",
    ];

    private static ClusterStatus Handmade(float? loss) => new("run \"a\"\\b", "training", "gpt2-tiny", 7, 10, loss, 1234.5, 2, 0, 3,
    [
        new WorkerStatus("worker-0", "in-process", "ready", 7, 5, new WorkerStats("emulated/fake-os-1", 8, 1, 8, 0, 40, 0), 0),
        new WorkerStatus("we\"ird\\name\nx", "10.0.0.2:7000", "preparing", 6, 2, new WorkerStats("emulated/fake-os-2", 16, 0, 16, 8, 20, 1), 1 << 20),
    ]);

    [Fact]
    public void ToPrometheus_WorkersWithOddNames_EveryLineParsesEveryMetricHasHelpAndType()
    {
        var text = PrometheusText.Parse(StatusFormat.ToPrometheus(Handmade(2.5f)));
        Assert.Equal(Metrics.Order(StringComparer.Ordinal), text.Types.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(text.Types.Keys.Order(StringComparer.Ordinal), text.Help.Keys.Order(StringComparer.Ordinal));
        Assert.All(text.Samples, s => Assert.Equal("run \"a\"\\b", s.Labels["run"]));
        var compiles = text.Samples.Where(s => s.Name == "orion_worker_compiles_total").ToDictionary(s => s.Labels["worker"], s => s.Value);
        Assert.Equal(new Dictionary<string, double> { ["worker-0"] = 8, ["we\"ird\\name\nx"] = 16 }, compiles);
        Assert.Equal(2.5, text.Samples.Single(s => s.Name == "orion_loss").Value);
        Assert.Equal(1, text.Samples.Single(s => s.Name == "orion_workers" && s.Labels["state"] == "preparing").Value);
        Assert.Equal(1 << 20, text.Samples.Single(s => s.Name == "orion_worker_bytes_exchanged_total" && s.Labels["worker"] != "worker-0").Value);
    }

    [Fact]
    public void ToPrometheus_LossNotFinite_LossMetricLeftOut()
    {
        var text = PrometheusText.Parse(StatusFormat.ToPrometheus(Handmade(float.NaN)));
        Assert.DoesNotContain("orion_loss", text.Types.Keys);
        Assert.DoesNotContain(text.Samples, s => s.Name == "orion_loss");
    }

    [Fact]
    public async Task ToJsonAndToPrometheus_AfterARun_ShowRunStepAndWorkersWithCompileCounts()
    {
        await using var h = await ClusterHarness.StartAsync(new ClusterHarnessOptions { Steps = 2 });
        await h.WaitForCompletionAsync();
        var status = h.Status.Current;
        using (var json = JsonDocument.Parse(StatusFormat.ToJson(status)))
        {
            var root = json.RootElement;
            Assert.Equal("cluster-test", root.GetProperty("runId").GetString());
            Assert.Equal("complete", root.GetProperty("phase").GetString());
            Assert.Equal(2, root.GetProperty("step").GetInt64());
            var workers = root.GetProperty("workers").EnumerateArray().ToArray();
            Assert.Equal(["worker-0", "worker-1"], workers.Select(w => w.GetProperty("name").GetString()));
            // 4 distinct programs compiled; layer 1's come from the cache (same MIL as layer 0's, delta-patched weights).
            Assert.All(workers, w => Assert.Equal(4, w.GetProperty("stats").GetProperty("compiles").GetInt32()));
            Assert.All(workers, w => Assert.Equal(4, w.GetProperty("stats").GetProperty("cacheHits").GetInt32()));
            Assert.All(workers, w => Assert.Equal(2, w.GetProperty("shardsComputed").GetInt32()));
        }
        var text = PrometheusText.Parse(StatusFormat.ToPrometheus(status));
        Assert.Equal(2, text.Samples.Single(s => s.Name == "orion_step").Value);
        Assert.Equal(2, text.Samples.Single(s => s.Name == "orion_workers" && s.Labels["state"] == "ready").Value);
        Assert.All(text.Samples.Where(s => s.Name == "orion_worker_compiles_total"), s => Assert.Equal(4, s.Value));
    }

    [Fact]
    public async Task StatusServer_GetStatusAndMetrics_ServesTheBoard()
    {
        var board = new StatusBoard();
        board.Publish(Handmade(2.5f));
        await using var server = await StatusServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), board);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TestKit.Cluster.TestTimeouts.Default };
        using var status = await http.GetAsync(new Uri("/status", UriKind.Relative));
        Assert.Equal("application/json", status.Content.Headers.ContentType?.MediaType);
        using (var json = JsonDocument.Parse(await status.Content.ReadAsStringAsync()))
            Assert.Equal(7, json.RootElement.GetProperty("step").GetInt64());
        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        var text = PrometheusText.Parse(await metrics.Content.ReadAsStringAsync());
        Assert.Equal(7, text.Samples.Single(s => s.Name == "orion_step").Value);
    }
}
