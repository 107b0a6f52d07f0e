// Shape ops of the emulator against index-arithmetic references: reshape, transpose, slices (with masks) and concat.
using Orion.Engine.Tensors;
using Xunit;
using static Orion.Engine.Tests.TestSupport.MilBuilder;
using static Orion.Engine.Tests.TestSupport.Numerics;

namespace Orion.Engine.Tests.Ane.Emulated;

public class ShapeOpsTests
{
    private static float[] Iota(int n) => Enumerable.Range(0, n).Select(i => (float)i).ToArray();

    [Fact]
    public void Reshape_InferredDim_KeepsDataOrder()
    {
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp16, 1, 6, 1, 4)
            .Op("y", F16(1, 2, 3, 4), "reshape", ("x", "x"), ("shape", new[] { 1, 2, -1, 4 })).Build("y");
        Assert.Equal(Iota(24), Run(fn, Iota(24))[0]);
    }

    [Fact]
    public void Transpose_Perm_MatchesIndexReference()
    {
        int[] dims = [2, 3, 4, 5], perm = [0, 2, 3, 1];
        var od = perm.Select(p => dims[p]).ToArray();
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp32, dims).Op("y", F32(od), "transpose", ("x", "x"), ("perm", perm)).Build("y");
        var x = Iota(120);
        var expected = new double[120];
        var s = Strides(dims);
        for (int i = 0; i < 120; i++)
        {
            var idx = Unflatten(i, od);
            expected[i] = x[Enumerable.Range(0, 4).Sum(a => idx[a] * s[perm[a]])];
        }
        AssertClose(expected, Run(fn, x)[0], 0);
    }

    [Fact]
    public void SliceBySize_MinusOneSize_RunsToEnd()
    {
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp16, 1, 4, 1, 6)
            .Op("y", F16(1, 2, 1, 2), "slice_by_size", ("x", "x"), ("begin", new[] { 0, 1, 0, 4 }), ("size", new[] { -1, 2, 1, -1 })).Build("y");
        Assert.Equal([10f, 11f, 16f, 17f], Run(fn, Iota(24))[0]);
    }

    [Fact]
    public void SliceByIndex_StrideAndNegativeBegin_FollowPythonSlices()
    {
        // x[:, -3:, ::2] on [2, 4, 5]
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp32, 2, 4, 5)
            .Op("y", F32(2, 3, 3), "slice_by_index", ("x", "x"), ("begin", new[] { 0, -3, 0 }), ("end", new[] { 0, 0, 0 }),
                ("stride", new[] { 1, 1, 2 }), ("begin_mask", new[] { true, false, true }), ("end_mask", new[] { true, true, true })).Build("y");
        var expected = new List<double>();
        for (int a = 0; a < 2; a++) for (int b = 1; b < 4; b++) for (int c = 0; c < 5; c += 2) expected.Add(a * 20 + b * 5 + c);
        AssertClose(expected.ToArray(), Run(fn, Iota(40))[0], 0);
    }

    [Fact]
    public void SliceByIndex_SqueezeAndNegativeStride_Work()
    {
        // x[1, ::-1] on [2, 3] squeezes axis 0
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp32, 2, 3)
            .Op("y", F32(3), "slice_by_index", ("x", "x"), ("begin", new[] { 1, 0 }), ("end", new[] { 2, 0 }),
                ("stride", new[] { 1, -1 }), ("begin_mask", new[] { false, true }), ("end_mask", new[] { false, true }),
                ("squeeze_mask", new[] { true, false })).Build("y");
        Assert.Equal([5f, 4f, 3f], Run(fn, Iota(6))[0]);
    }

    [Fact]
    public void Concat_MiddleAxis_StacksBlocksInOrder()
    {
        var fn = new TestSupport.MilBuilder().Input("a", DType.Fp16, 2, 1, 2).Input("b", DType.Fp16, 2, 2, 2)
            .Op("y", F16(2, 3, 2), "concat", ("values", new[] { "a", "b" }), ("axis", -2), ("interleave", false)).Build("y");
        var r = Run(fn, [0, 1, 2, 3], [10, 11, 12, 13, 14, 15, 16, 17])[0];
        Assert.Equal([0f, 1f, 10f, 11f, 12f, 13f, 2f, 3f, 14f, 15f, 16f, 17f], r);
    }
}
