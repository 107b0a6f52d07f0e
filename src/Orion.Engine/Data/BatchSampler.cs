// Training batches: B windows of T+1 tokens at seeded random offsets, as (inputs, targets) shifted by one. The
// sampler's whole position is its RNG state and the number of batches drawn, saved in checkpoints so that a resumed
// run sees exactly the batches the uninterrupted run would have.
using Orion.Engine.Programs;

namespace Orion.Engine.Data;

/// <summary>Everything needed to continue a sampler exactly.</summary>
public sealed record SamplerState(ulong Rng, long Batches);

/// <summary>One batch: <c>Inputs[b*T + t]</c> predicts <c>Targets[b*T + t]</c> (the next token).</summary>
public sealed record Batch(int[] Inputs, int[] Targets, int BatchSize, int Seq);

public sealed class BatchSampler
{
    private readonly ushort[] _tokens;
    private SeededRandom _rng;

    public BatchSampler(ushort[] tokens, int batchSize, int seq, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seq);
        if (tokens.Length < seq + 1)
            throw new ArgumentException($"the data has {tokens.Length:N0} tokens, fewer than one window of seq + 1 = {seq + 1}; use more data or a shorter --seq", nameof(tokens));
        _tokens = tokens;
        BatchSize = batchSize;
        Seq = seq;
        _rng = new SeededRandom(seed);
    }

    public int BatchSize { get; }
    public int Seq { get; }
    public long Batches { get; private set; }

    public SamplerState State => new(_rng.State, Batches);

    /// <summary>Continues from a saved position (the data, B and T must be the run's own).</summary>
    public void Restore(SamplerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _rng = new SeededRandom(state.Rng);
        Batches = state.Batches;
    }

    public Batch Next()
    {
        var inputs = new int[BatchSize * Seq];
        var targets = new int[BatchSize * Seq];
        int starts = _tokens.Length - Seq; // offsets 0 .. N - T - 1 leave room for the shifted target
        for (int b = 0; b < BatchSize; b++)
        {
            int o = _rng.NextInt(starts);
            for (int t = 0; t < Seq; t++)
            {
                inputs[b * Seq + t] = _tokens[o + t];
                targets[b * Seq + t] = _tokens[o + t + 1];
            }
        }
        Batches++;
        return new Batch(inputs, targets, BatchSize, Seq);
    }

    /// <summary>
    /// Evaluation batches (cli-contract.md `orion eval`): consecutive, non-overlapping windows of T from the start of
    /// the data, B per batch, at most <paramref name="maxBatches"/> (null: all that fit).
    /// </summary>
    public static IEnumerable<Batch> Sequential(ushort[] tokens, int batchSize, int seq, int? maxBatches = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seq);
        long fit = (tokens.Length - 1L) / ((long)batchSize * seq);
        long count = maxBatches is null ? fit : Math.Min(fit, maxBatches.Value);
        for (long k = 0; k < count; k++)
        {
            var inputs = new int[batchSize * seq];
            var targets = new int[batchSize * seq];
            long baseOffset = k * batchSize * seq;
            for (int i = 0; i < batchSize * seq; i++)
            {
                inputs[i] = tokens[baseOffset + i];
                targets[i] = tokens[baseOffset + i + 1];
            }
            yield return new Batch(inputs, targets, batchSize, seq);
        }
    }
}
