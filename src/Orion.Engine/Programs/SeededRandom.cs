// A tiny deterministic generator (SplitMix64) so weights are the same bits on every machine and .NET version.
namespace Orion.Engine.Programs;

public sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The whole generator state: <c>new SeededRandom(State)</c> continues the same sequence (checkpoints save it).</summary>
    public ulong State => _state;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform whole number in [0, <paramref name="bound"/>), without modulo bias (rejection sampling).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        ulong limit = ulong.MaxValue - ulong.MaxValue % (ulong)bound;
        ulong v;
        do v = NextUInt64(); while (v >= limit);
        return (int)(v % (ulong)bound);
    }

    /// <summary>Uniform in [-scale, scale).</summary>
    public float[] Uniform(int count, float scale)
    {
        var a = new float[count];
        for (int i = 0; i < a.Length; i++) a[i] = (NextFloat() * 2f - 1f) * scale;
        return a;
    }

    /// <summary>Standard normal values times <paramref name="std"/> (Box-Muller on two uniforms; no cached spare, so the state alone resumes it).</summary>
    public void FillNormal(Span<float> values, float std)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double u1 = ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53)), u2 = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) * std);
        }
    }
}
