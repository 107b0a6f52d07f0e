// Gemm against its double-precision reference twin on odd sizes, every capability path, strided views, and
// bit-identity across thread counts (threads split output blocks, never the K sum).
using Orion.Engine.Kernels;
using Xunit;

namespace Orion.Engine.Tests.Kernels;

public class GemmTests
{
    private static float[] Random(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
    }

    private static void AssertNear(float[] expected, float[] actual, int k)
    {
        double tol = 1e-5 * Math.Max(1, k);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tol)) Assert.Fail($"element {i}: expected {expected[i]}, got {actual[i]}");
    }

    public static TheoryData<GemmPath> Paths()
    {
        var d = new TheoryData<GemmPath> { GemmPath.Scalar, GemmPath.Vector };
        if (Gemm.BestPath == GemmPath.Avx2Fma) d.Add(GemmPath.Avx2Fma);
        return d;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Multiply_OddSizes_MatchReference(GemmPath path)
    {
        int[] sizes = [1, 2, 5, 6, 7, 15, 16, 17, 31, 33, 64, 70];
        int seed = 0;
        foreach (var m in sizes)
            foreach (var n in sizes)
                foreach (var k in new[] { 1, 3, 17, 70 })
                {
                    var a = Random(m * k, seed++);
                    var b = Random(k * n, seed++);
                    var expected = new float[m * n];
                    var actual = new float[m * n];
                    Gemm.GemmReference(m, n, k, MatrixView.RowMajor(a, 0, k), MatrixView.RowMajor(b, 0, n), expected, 0, n);
                    Gemm.Multiply(m, n, k, MatrixView.RowMajor(a, 0, k), MatrixView.RowMajor(b, 0, n), actual, 0, n, path: path);
                    AssertNear(expected, actual, k);
                }
    }

    [Fact]
    public void Multiply_TransposedViewsAccumulateAndOffsets_MatchReference()
    {
        int m = 13, n = 37, k = 300, ldc = 40;   // k > one K block
        var a = Random(5 + k * m, 1);             // A stored transposed: [K, M] from offset 5
        var b = Random(n * k, 2);                 // B stored transposed: [N, K]
        var expected = Random(3 + m * ldc, 3);
        var actual = (float[])expected.Clone();
        var av = new MatrixView(a, 5, 1, m);
        var bv = MatrixView.RowMajor(b, 0, k).Transposed;
        Gemm.GemmReference(m, n, k, av, bv, expected, 3, ldc, accumulate: true);
        Gemm.Multiply(m, n, k, av, bv, actual, 3, ldc, accumulate: true);
        AssertNear(expected, actual, k);
    }

    [Fact]
    public void Multiply_768x768x256_MatchesReferenceAndIsBitIdenticalAcrossThreadCounts()
    {
        int m = 768, n = 768, k = 256;
        var a = Random(m * k, 4);
        var b = Random(k * n, 5);
        var results = new[] { 1, 2, 4 }.Select(t =>
        {
            var c = new float[m * n];
            Gemm.Multiply(m, n, k, MatrixView.RowMajor(a, 0, k), MatrixView.RowMajor(b, 0, n), c, 0, n, parallelism: t);
            return c;
        }).ToArray();
        Assert.Equal(results[0], results[1]);
        Assert.Equal(results[0], results[2]);
        var expected = new float[m * n];
        Gemm.GemmReference(m, n, k, MatrixView.RowMajor(a, 0, k), MatrixView.RowMajor(b, 0, n), expected, 0, n);
        AssertNear(expected, results[0], k);
    }
}
