// A worker's counters as /status and /metrics show them (issue 5, item 10).
namespace Orion.Actors.Protocol;

public sealed record WorkerStats(string Device, int Compiles, int CacheHits, int CacheMisses, int CacheInvalidations, long PatchedFiles, int Recycles)
{
    public static WorkerStats None { get; } = new("", 0, 0, 0, 0, 0, 0);
}
