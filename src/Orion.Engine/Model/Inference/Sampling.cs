// Choosing the next token from logits: greedy (argmax, lowest id on ties) at temperature 0; otherwise softmax of
// logits / temperature over the top-k candidates (all when k = 0), sampled with a seeded generator.
using Orion.Engine.Programs;

namespace Orion.Engine.Model.Inference;

public static class Sampling
{
    public static int Pick(ReadOnlySpan<float> logits, float temperature, int topK, SeededRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (temperature == 0) return ArgMax(logits);
        var ids = Enumerable.Range(0, logits.Length).ToArray();
        var copy = logits.ToArray();
        // Stable order: by logit descending, then by id, so ties never depend on the sort's algorithm.
        Array.Sort(ids, (a, b) => copy[b].CompareTo(copy[a]) is var c && c != 0 ? c : a.CompareTo(b));
        int k = topK == 0 ? ids.Length : Math.Min(topK, ids.Length);
        double max = copy[ids[0]], sum = 0;
        var p = new double[k];
        for (int i = 0; i < k; i++) sum += p[i] = Math.Exp((copy[ids[i]] - max) / temperature);
        double u = rng.NextFloat() * sum;
        for (int i = 0; i < k; i++)
        {
            u -= p[i];
            if (u < 0) return ids[i];
        }
        return ids[k - 1];
    }

    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
