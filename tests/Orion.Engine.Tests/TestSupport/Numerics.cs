// Test numerics: fp16-exact random data, float64 reference helpers and tolerance assertions (fp16 op tolerance 2e-3 relative).
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;
using Xunit;

namespace Orion.Engine.Tests.TestSupport;

internal static class Numerics
{
    public static float[] RandomFp16(int count, int seed, double lo = -1, double hi = 1)
    {
        var rnd = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Fp16.Round((float)(lo + (hi - lo) * rnd.NextDouble()))).ToArray();
    }

    public static float[][] Run(MilFunction function, params float[][] inputs)
    {
        var plan = ExecutionPlan.Build(function, ChipProfile.Default);
        plan.BindWeights(new Dictionary<string, byte[]>());
        return plan.Execute(inputs, null);
    }

    public static void AssertClose(double[] expected, float[] actual, double tolerance = 2e-3)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double bound = tolerance * Math.Max(1, Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= bound))
                Assert.Fail($"element {i}: expected {expected[i]}, got {actual[i]} (tolerance {bound})");
        }
    }

    /// <summary>Row-major strides of <paramref name="dims"/>.</summary>
    public static int[] Strides(int[] dims)
    {
        var s = new int[dims.Length];
        for (int i = dims.Length - 1, acc = 1; i >= 0; i--) { s[i] = acc; acc *= dims[i]; }
        return s;
    }

    /// <summary>Multi-index of flat position <paramref name="flat"/> in <paramref name="dims"/>.</summary>
    public static int[] Unflatten(int flat, int[] dims)
    {
        var idx = new int[dims.Length];
        for (int a = dims.Length - 1; a >= 0; a--) { idx[a] = flat % dims[a]; flat /= dims[a]; }
        return idx;
    }

    public static int Count(int[] dims) => dims.Aggregate(1, (a, b) => a * b);
}
