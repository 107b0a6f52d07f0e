// The two renderings of a ClusterStatus: JSON for GET /status and the Prometheus text exposition format (version
// 0.0.4: HELP/TYPE lines, label values escaped) for GET /metrics.
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Orion.Coordinator;

public static class StatusFormat
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public static string ToJson(ClusterStatus status) => JsonSerializer.Serialize(status, Json);

    public static string ToPrometheus(ClusterStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var b = new StringBuilder();
        string run = $"run=\"{Escape(s.RunId)}\"";
        void Metric(string name, string type, string help, IEnumerable<(string Labels, double Value)> values)
        {
            b.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            b.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, value) in values)
                b.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        Metric("orion_step", "gauge", "Last committed training step.", [(run, s.Step)]);
        Metric("orion_steps_target", "gauge", "Steps the run will train to.", [(run, s.Steps)]);
        if (s.Loss is { } loss && float.IsFinite(loss)) Metric("orion_loss", "gauge", "Loss of the last committed step.", [(run, loss)]);
        Metric("orion_tokens_per_second", "gauge", "Tokens per second of the last step.", [(run, s.TokensPerSecond)]);
        Metric("orion_replay_remaining", "gauge", "Journaled steps still to recompute and verify after a restart.", [(run, s.ReplayRemaining)]);
        Metric("orion_degraded_events_total", "counter", "Shard failures, device changes and recompiles (degraded paths).", [(run, s.DegradedEvents)]);
        Metric("orion_workers", "gauge", "Workers by state.", s.Workers.GroupBy(w => w.State).Select(g => ($"{run},state=\"{Escape(g.Key)}\"", (double)g.Count())));
        if (s.Members.Count > 0)
            Metric("orion_cluster_members", "gauge", "Akka cluster members by role, membership status and reachability.",
                s.Members.SelectMany(m => m.Roles.DefaultIfEmpty("").Select(role => (Role: role, m.Status, m.Reachable)))
                    .GroupBy(m => m).Select(g => ($"{run},role=\"{Escape(g.Key.Role)}\",status=\"{Escape(g.Key.Status)}\",reachable=\"{(g.Key.Reachable ? "true" : "false")}\"", (double)g.Count())));
        IEnumerable<(string, double)> PerWorker(Func<WorkerStatus, double> f) => s.Workers.Select(w => ($"{run},worker=\"{Escape(w.Name)}\"", f(w)));
        Metric("orion_worker_compiles_total", "counter", "Programs compiled by the worker's devices.", PerWorker(w => w.Stats.Compiles));
        Metric("orion_worker_cache_hits_total", "counter", "Program cache hits.", PerWorker(w => w.Stats.CacheHits));
        Metric("orion_worker_cache_misses_total", "counter", "Program cache misses.", PerWorker(w => w.Stats.CacheMisses));
        Metric("orion_worker_cache_invalidations_total", "counter", "Cache entries invalidated by a device fingerprint change.", PerWorker(w => w.Stats.CacheInvalidations));
        Metric("orion_worker_delta_patched_files_total", "counter", "Weight files rewritten by delta patches.", PerWorker(w => w.Stats.PatchedFiles));
        Metric("orion_worker_device_recycles_total", "counter", "Devices recycled because the compile budget ran out.", PerWorker(w => w.Stats.Recycles));
        Metric("orion_worker_shards_total", "counter", "Shards computed.", PerWorker(w => w.ShardsComputed));
        Metric("orion_worker_bytes_exchanged_total", "counter", "Bytes sent and received on the worker's link.", PerWorker(w => w.BytesExchanged));
        return b.ToString();
    }

    private static string Escape(string v) => v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
