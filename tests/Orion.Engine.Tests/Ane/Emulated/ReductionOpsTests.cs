// Reductions and softmax of the emulator against float64 references: negative axes, keep_dims both ways, all-axes default.
using Orion.Engine.Tensors;
using Xunit;
using static Orion.Engine.Tests.TestSupport.MilBuilder;
using static Orion.Engine.Tests.TestSupport.Numerics;

namespace Orion.Engine.Tests.Ane.Emulated;

public class ReductionOpsTests
{
    private static readonly int[] Dims = [2, 3, 4, 5];

    [Theory]
    [InlineData("reduce_sum", new[] { -1 }, true)]
    [InlineData("reduce_sum", new[] { 1, 3 }, false)]
    [InlineData("reduce_mean", new[] { -3 }, false)]
    [InlineData("reduce_mean", new[] { 0, 2 }, true)]
    [InlineData("reduce_max", new[] { -1, 1 }, true)]
    [InlineData("reduce_max", new[] { 2 }, false)]
    public void Reduce_AxesAndKeepDims_MatchDoubleReference(string op, int[] axes, bool keep)
    {
        var x = RandomFp16(Count(Dims), 5, -4, 4);
        var norm = axes.Select(a => a < 0 ? a + 4 : a).ToHashSet();
        var kept = Dims.Select((d, i) => norm.Contains(i) ? 1 : d).ToArray();
        var outDims = keep ? kept : Dims.Where((_, i) => !norm.Contains(i)).ToArray();
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp16, Dims)
            .Op("y", F16(outDims), op, ("x", "x"), ("axes", axes), ("keep_dims", keep)).Build("y");
        var expected = Reference(op, x, norm, kept);
        AssertClose(expected, Run(fn, x)[0], 4e-3);
    }

    private static double[] Reference(string op, float[] x, HashSet<int> axes, int[] kept)
    {
        var sum = new double[Count(kept)];
        var max = Enumerable.Repeat(double.NegativeInfinity, sum.Length).ToArray();
        var keptStrides = Strides(kept);
        for (int i = 0; i < x.Length; i++)
        {
            var idx = Unflatten(i, Dims);
            int o = 0;
            for (int a = 0; a < 4; a++) o += (axes.Contains(a) ? 0 : idx[a]) * keptStrides[a];
            sum[o] += x[i];
            max[o] = Math.Max(max[o], x[i]);
        }
        int n = x.Length / sum.Length;
        return op switch { "reduce_sum" => sum, "reduce_mean" => sum.Select(s => s / n).ToArray(), _ => max };
    }

    [Fact]
    public void ReduceSum_NoAxes_ReducesEverything()
    {
        var x = RandomFp16(12, 6);
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp32, 3, 4).Op("y", F32(), "reduce_sum", ("x", "x")).Build("y");
        AssertClose([x.Sum(v => (double)v)], Run(fn, x)[0], 1e-5);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(-4)]
    public void Softmax_Axis_MatchesDoubleReference(int axis)
    {
        var x = RandomFp16(Count(Dims), 7, -6, 6);
        int ax = axis < 0 ? axis + 4 : axis;
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp16, Dims).Op("y", F16(Dims), "softmax", ("x", "x"), ("axis", axis)).Build("y");
        var expected = new double[x.Length];
        var strides = Strides(Dims);
        for (int i = 0; i < x.Length; i++)
        {
            var idx = Unflatten(i, Dims);
            int start = i - idx[ax] * strides[ax];
            var row = Enumerable.Range(0, Dims[ax]).Select(k => (double)x[start + k * strides[ax]]).ToArray();
            double m = row.Max();
            expected[i] = Math.Exp(x[i] - m) / row.Sum(v => Math.Exp(v - m));
        }
        AssertClose(expected, Run(fn, x)[0]);
    }
}
