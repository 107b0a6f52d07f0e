// Deterministic sharding of a global batch (architecture.md, Cluster: Determinism): shard k of S is a fixed slice of
// sequences, whoever computes it; each shard's gradient is weighted by its share of the positions so that summing the
// shards in shard order gives the gradient of the global mean loss. S is fixed for a run, so which worker computes a
// shard, or how many workers are alive, never changes a bit.
namespace Orion.Engine.Data;

/// <summary>One shard: its index, its sequences as a batch, and its weight (positions / global positions).</summary>
public sealed record Shard(int Index, Batch Batch, int FirstSequence, float Weight);

public static class ShardPlan
{
    /// <summary>Splits <paramref name="batch"/> into <paramref name="shards"/> contiguous slices (sizes differ by at most one).</summary>
    public static Shard[] Split(Batch batch, int shards)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (shards <= 0 || shards > batch.BatchSize)
            throw new ArgumentOutOfRangeException(nameof(shards), shards, $"a batch of {batch.BatchSize} sequences splits into 1..{batch.BatchSize} shards; use --batch >= the number of workers");
        var result = new Shard[shards];
        int seq = batch.Seq;
        for (int k = 0; k < shards; k++)
        {
            int first = (int)((long)k * batch.BatchSize / shards), end = (int)((long)(k + 1) * batch.BatchSize / shards);
            int count = end - first;
            var inputs = batch.Inputs.AsSpan(first * seq, count * seq).ToArray();
            var targets = batch.Targets.AsSpan(first * seq, count * seq).ToArray();
            result[k] = new Shard(k, new Batch(inputs, targets, count, seq), first, (float)count / batch.BatchSize);
        }
        return result;
    }

    /// <summary>Adds the shard gradients in shard order into <paramref name="sum"/> (the first is copied, so one shard is exact).</summary>
    public static void SumInOrder(IReadOnlyList<float[]> shardGradients, float[] sum)
    {
        ArgumentNullException.ThrowIfNull(shardGradients);
        ArgumentNullException.ThrowIfNull(sum);
        if (shardGradients.Count == 0) throw new ArgumentException("no shard gradients to sum", nameof(shardGradients));
        for (int k = 0; k < shardGradients.Count; k++)
        {
            var g = shardGradients[k];
            if (g.Length != sum.Length) throw new ArgumentException($"shard {k}'s gradient has {g.Length:N0} values, expected {sum.Length:N0}", nameof(shardGradients));
            if (k == 0) g.CopyTo(sum, 0);
            else Add(sum, g);
        }
    }

    // Element-wise, so vector width never changes a bit: each element is one fp32 addition, in shard order.
    private static void Add(float[] sum, float[] g)
    {
        var vs = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(sum.AsSpan());
        var vg = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(g.AsSpan());
        for (int i = 0; i < vs.Length; i++) vs[i] += vg[i];
        for (int i = vs.Length * System.Numerics.Vector<float>.Count; i < sum.Length; i++) sum[i] += g[i];
    }
}
