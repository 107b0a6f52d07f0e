// The small run every cluster CLI test trains (gpt2-tiny, 6 steps of 4 x 16 tokens, 2 shards, checkpoints every 2
// steps) and its reference result: the weights hash of an uninterrupted single-node run, computed once.
namespace Orion.Cli.Tests.Cluster;

internal static class ClusterRuns
{
    public static readonly string[] Training = ["--steps", "6", "--batch", "4", "--seq", "32", "--checkpoint-every", "2", "--workers", "2"];

    private static readonly Lazy<string> Reference = new(() =>
    {
        using var dir = new TempDir();
        Cli.Ok(["train", .. Training, "--run-dir", dir.At("run"), "--cache-dir", dir.At("cache")]);
        return Hash(dir.At("run"));
    });

    /// <summary>The weights hash of the uninterrupted run.</summary>
    public static string ReferenceHash => Reference.Value;

    public static string Hash(string runDir) => Cli.Ok("checkpoint", "hash", Path.Combine(runDir, "checkpoints", "step-000006")).Out.Trim();
}
