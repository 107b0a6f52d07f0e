// Float64 reference math and tolerance checks, written independently of the engine.
using Orion.Engine.Tensors;
using Xunit;

namespace Orion.Engine.Tests.Support;

internal static class Ref
{
    public static float[] Random(int n, ulong seed, float scale = 1f)
    {
        var r = new Programs.SeededRandom(seed);
        return r.Uniform(n, scale).Select(Fp16.Round).ToArray();
    }

    /// <summary>|a - e| &lt;= atol + rtol |e| for every element; the message names the first bad index.</summary>
    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<float> actual, double rtol = 4e-3, double atol = 2e-3)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(a) || Math.Abs(a - e) > atol + rtol * Math.Abs(e))
                Assert.Fail($"element {i}: expected {e:G9}, got {a:G9} (tolerance {atol + rtol * Math.Abs(e):G3})");
        }
    }

    /// <summary>y[o, s] = sum_i W[o, i] x[i, s] on [1, C, 1, S] data.</summary>
    public static double[] Linear(IReadOnlyList<float> w, IReadOnlyList<double> x, int outC, int inC, int seq)
    {
        var y = new double[outC * seq];
        for (int o = 0; o < outC; o++)
            for (int s = 0; s < seq; s++)
            {
                double acc = 0;
                for (int i = 0; i < inC; i++) acc += w[o * inC + i] * x[i * seq + s];
                y[o * seq + s] = acc;
            }
        return y;
    }

    public static double[] D(IReadOnlyList<float> a) => a.Select(v => (double)v).ToArray();
}
