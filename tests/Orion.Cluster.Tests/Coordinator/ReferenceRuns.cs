// The undisturbed runs that fault tests compare against: computed once per shard count for the whole test assembly
// (weights depend on the shard count only, never on how many workers computed the shards).
using System.Collections.Concurrent;
using Orion.TestKit.Cluster;

namespace Orion.Cluster.Tests.Coordinator;

internal static class ReferenceRuns
{
    private static readonly ConcurrentDictionary<int, Lazy<Task<string>>> s_hashes = new();

    /// <summary>The final weights hash of an undisturbed default-shaped run with <paramref name="shards"/> shards on as many workers.</summary>
    public static Task<string> HashAsync(int shards) =>
        s_hashes.GetOrAdd(shards, n => new Lazy<Task<string>>(() => RunAsync(new ClusterHarnessOptions { Workers = n, Shards = n }))).Value;

    public static async Task<string> RunAsync(ClusterHarnessOptions options)
    {
        await using var h = await ClusterHarness.StartAsync(options);
        await h.WaitForCompletionAsync();
        return h.FinalWeightsHash();
    }
}
