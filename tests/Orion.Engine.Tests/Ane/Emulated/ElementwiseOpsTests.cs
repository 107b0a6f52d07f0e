// Elementwise ops of the emulator against float64 references: unary math, broadcasting binaries, cast, fp16 boundaries.
using Orion.Engine.Mil;
using Orion.Engine.Tensors;
using Xunit;
using static Orion.Engine.Tests.TestSupport.MilBuilder;
using static Orion.Engine.Tests.TestSupport.Numerics;

namespace Orion.Engine.Tests.Ane.Emulated;

public class ElementwiseOpsTests
{
    [Theory]
    [InlineData("identity")]
    [InlineData("neg")]
    [InlineData("relu")]
    [InlineData("sqrt")]
    [InlineData("exp")]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    public void Unary_Fp16_MatchesDoubleReference(string op)
    {
        var x = RandomFp16(37, 1, op == "sqrt" ? 0 : -3, 3);
        Func<double, double> f = op switch
        {
            "identity" => v => v,
            "neg" => v => -v,
            "relu" => v => Math.Max(0, v),
            "sqrt" => Math.Sqrt,
            "exp" => Math.Exp,
            "sigmoid" => v => 1 / (1 + Math.Exp(-v)),
            _ => Math.Tanh,
        };
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp16, 37).Op("y", F16(37), op, ("x", "x")).Build("y");
        AssertClose(x.Select(v => f(v)).ToArray(), Run(fn, x)[0]);
    }

    [Theory]
    [InlineData("add", new[] { 1, 4, 1, 6 }, new[] { 1, 4, 1, 6 })]
    [InlineData("sub", new[] { 1, 4, 1, 6 }, new[] { 1, 4, 1, 1 })]
    [InlineData("mul", new[] { 2, 1, 5 }, new[] { 3, 1 })]
    [InlineData("real_div", new[] { 4 }, new[] { 3, 1 })]
    [InlineData("mul", new[] { 1, 4, 1, 6 }, new int[0])]
    [InlineData("add", new int[0], new[] { 5, 2 })]
    [InlineData("pow", new[] { 2, 3 }, new[] { 1 })]
    public void Binary_Broadcasting_MatchesDoubleReference(string op, int[] xd, int[] yd)
    {
        int rank = Math.Max(xd.Length, yd.Length);
        var od = Enumerable.Range(0, rank).Select(i => Math.Max(Dim(xd, i, rank), Dim(yd, i, rank))).ToArray();
        var x = RandomFp16(Count(xd), 2, op == "pow" ? 0.1 : -2, 2);
        var y = RandomFp16(Count(yd), 3, op is "real_div" or "pow" ? 0.5 : -2, 2);
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp16, xd).Input("y", DType.Fp16, yd)
            .Op("z", F16(od), op, ("x", "x"), ("y", "y")).Build("z");
        var expected = new double[Count(od)];
        for (int i = 0; i < expected.Length; i++)
        {
            var idx = Unflatten(i, od);
            double a = x[Pick(idx, xd)], b = y[Pick(idx, yd)];
            expected[i] = op switch { "add" => a + b, "sub" => a - b, "mul" => a * b, "real_div" => a / b, _ => Math.Pow(a, b) };
        }
        AssertClose(expected, Run(fn, x, y)[0]);
    }

    private static int Dim(int[] d, int i, int rank) => i - (rank - d.Length) >= 0 ? d[i - (rank - d.Length)] : 1;

    // Independent broadcast indexing: trailing alignment, size-1 dims read index 0.
    private static int Pick(int[] outIdx, int[] dims)
    {
        int flat = 0, off = outIdx.Length - dims.Length;
        for (int a = 0; a < dims.Length; a++) flat = flat * dims[a] + (dims[a] == 1 ? 0 : outIdx[a + off]);
        return flat;
    }

    [Fact]
    public void Add_Fp16_RoundsAtOpBoundary()
    {
        // 1 + 2^-12 is exact in fp32 but below half an fp16 ulp at 1 (2^-11), so the fp16 add yields 1.
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp32, 1).Op("y", F32(1), "add", ("x", "x"), ("y", MilLiteral.Fp32(Math.Pow(2, -12))))
            .Input("h", DType.Fp16, 1).Op("z", F16(1), "add", ("x", "h"), ("y", MilLiteral.Fp16(Math.Pow(2, -12))))
            .Build("y", "z");
        var r = Run(fn, [1f], [1f]);
        Assert.Equal(1f + MathF.Pow(2, -12), r[0][0]);
        Assert.Equal(1f, r[1][0]);
    }

    [Fact]
    public void Mul_Fp16_ClampsAt65504AndKeepsNaN()
    {
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp16, 3).Op("y", F16(3), "mul", ("x", "x"), ("y", MilLiteral.Fp16(1000))).Build("y");
        var r = Run(fn, [100f, -100f, float.NaN])[0];
        Assert.Equal(65504f, r[0]);
        Assert.Equal(-65504f, r[1]);
        Assert.True(float.IsNaN(r[2]));
    }

    [Fact]
    public void Cast_Fp32ToFp16AndInt32_RoundsAndTruncates()
    {
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp32, 3)
            .Op("h", F16(3), "cast", ("x", "x"), ("dtype", Str("fp16")))
            .Op("i", T(DType.Int32, 3), "cast", ("x", "x"), ("dtype", Str("int32")))
            .Build("h", "i");
        var r = Run(fn, [1.0004f, -2.7f, 70000f]);
        Assert.Equal([1f, Fp16.Round(-2.7f), 65504f], r[0]);
        Assert.Equal([1f, -2f, 70000f], r[1]);
    }

    [Fact]
    public void Add_ConstOperandByReference_Works()
    {
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp16, 1, 2)
            .Const("b", Tensor(DType.Fp16, [1, 2], [0.5, -0.25]))
            .Op("y", F16(1, 2), "add", ("x", "x"), ("y", "b")).Build("y");
        Assert.Equal([1.5f, 0.75f], Run(fn, [1f, 1f])[0]);
    }
}
