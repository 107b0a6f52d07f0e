// Deterministic test data for benchmarks: the same seed gives the same values on every machine and run.
namespace Orion.Cli.Bench;

internal static class BenchData
{
    /// <summary><paramref name="count"/> values uniform in [-scale, scale) from a seeded generator.</summary>
    public static float[] Uniform(int count, int seed, float scale)
    {
        var rng = new Random(seed);
        var v = new float[count];
        for (int i = 0; i < v.Length; i++) v[i] = (rng.NextSingle() * 2 - 1) * scale;
        return v;
    }
}
