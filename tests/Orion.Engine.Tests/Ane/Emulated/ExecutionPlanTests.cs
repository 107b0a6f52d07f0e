// ExecutionPlan contract: weight baking and delta re-binding, blob validation, Build-time errors with lines and rule ids, trace.
using Orion.Engine.Ane.Emulated;
using Orion.Engine.IO;
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;
using Xunit;
using static Orion.Engine.Tests.TestSupport.MilBuilder;

namespace Orion.Engine.Tests.Ane.Emulated;

public class ExecutionPlanTests
{
    private const string WeightPath = "@model_path/weights/w.bin";

    private static byte[] Fp16Blob(params float[] values) =>
        BlobFile.Write([(DType.Fp16, values.SelectMany(v => BitConverter.GetBytes(Fp16.FromSingle(v))).ToArray())]).File;

    // y = conv1x1(x, W) with W [2, 3, 1, 1] from a blob.
    private static ExecutionPlan Plan(ulong offset = 64)
    {
        var b = new TestSupport.MilBuilder().Input("x", DType.Fp16, 1, 3, 1, 2)
            .AttrOp("W", F16(2, 3, 1, 1), "const", ("val", new MilBlobFile(F16(2, 3, 1, 1), WeightPath, offset)))
            .Op("y", F16(1, 2, 1, 2), "conv", ("x", "x"), ("weight", "W"));
        return ExecutionPlan.Build(b.Build("y"), ChipProfile.Default);
    }

    private static readonly float[] X = [1, 2, 3, 4, 5, 6];   // channels (1,2) (3,4) (5,6)

    [Fact]
    public void BindWeights_MutatingBytesAfterwards_ChangesNothing()
    {
        var plan = Plan();
        Assert.Equal([WeightPath], plan.WeightPaths);
        Assert.Equal(1, plan.StepCount);
        var file = Fp16Blob(1, 0, 0, 0, 0, 1);
        plan.BindWeights(new Dictionary<string, byte[]> { [WeightPath] = file });
        Array.Clear(file, 128, 12);
        Assert.Equal([1f, 2f, 5f, 6f], plan.Execute([X], null)[0]);
    }

    [Fact]
    public void BindWeights_CalledAgain_PatchesWithoutRebuild()
    {
        var plan = Plan();
        plan.BindWeights(new Dictionary<string, byte[]> { [WeightPath] = Fp16Blob(1, 0, 0, 0, 0, 1) });
        plan.BindWeights(new Dictionary<string, byte[]> { [WeightPath] = Fp16Blob(0, 1, 0, 1, 1, 1) });
        Assert.Equal([3f, 4f, 9f, 12f], plan.Execute([X], null)[0]);
    }

    [Fact]
    public void Execute_BeforeBindWeights_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Plan().Execute([X], null));
    }

    [Fact]
    public void BindWeights_WrongSentinelOffsetOrSize_ThrowsNamingPath()
    {
        var bad = Fp16Blob(1, 2, 3, 4, 5, 6);
        bad[64] = 0;
        var e1 = Assert.Throws<FormatException>(() => Plan().BindWeights(new Dictionary<string, byte[]> { [WeightPath] = bad }));
        Assert.Contains(WeightPath, e1.Message);
        var e2 = Assert.Throws<FormatException>(() => Plan(128).BindWeights(new Dictionary<string, byte[]> { [WeightPath] = Fp16Blob(1, 2, 3, 4, 5, 6) }));
        Assert.Contains(WeightPath, e2.Message);
        var e3 = Assert.Throws<FormatException>(() => Plan().BindWeights(new Dictionary<string, byte[]> { [WeightPath] = Fp16Blob(1, 2, 3, 4) }));
        Assert.Contains(WeightPath, e3.Message);
        Assert.Contains("expected 12", e3.Message);
    }

    [Fact]
    public void BindWeights_FailedPatch_KeepsPreviousWeights()
    {
        var plan = Plan();
        plan.BindWeights(new Dictionary<string, byte[]> { [WeightPath] = Fp16Blob(1, 0, 0, 0, 0, 1) });
        Assert.Throws<FormatException>(() => plan.BindWeights(new Dictionary<string, byte[]> { [WeightPath] = Fp16Blob(1) }));
        Assert.Equal([1f, 2f, 5f, 6f], plan.Execute([X], null)[0]);
    }

    [Fact]
    public void Build_UnknownOp_ThrowsWithLine()
    {
        var b = new TestSupport.MilBuilder().Input("x", DType.Fp16, 4).Op("y", F16(4), "identity", ("x", "x")).Op("z", F16(4), "foo", ("x", "y"));
        var e = Assert.Throws<MilException>(() => ExecutionPlan.Build(b.Build("z"), ChipProfile.Default));
        Assert.Contains("unknown op 'foo'", e.Message);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Build_ConvWithBias_CitesR13()
    {
        var b = new TestSupport.MilBuilder().Input("x", DType.Fp16, 1, 2, 1, 2)
            .Const("W", Tensor(DType.Fp16, [2, 2, 1, 1], [1, 0, 0, 1])).Const("B", Tensor(DType.Fp16, [2], [1, 1]))
            .Op("y", F16(1, 2, 1, 2), "conv", ("x", "x"), ("weight", "W"), ("bias", "B"));
        var e = Assert.Throws<MilException>(() => ExecutionPlan.Build(b.Build("y"), ChipProfile.Default));
        Assert.Contains("R13", e.Message);
        Assert.Equal(b.LastLine, e.Line);
    }

    [Theory]
    [InlineData("gelu", "R10")]
    [InlineData("rsqrt", "pow(x, -0.5)")]
    [InlineData("scaled_dot_product_attention", "R06")]
    public void Build_OpsTheAneRejects_ExplainWhy(string op, string expected)
    {
        var b = new TestSupport.MilBuilder().Input("x", DType.Fp16, 4).Op("y", F16(4), op, ("x", "x"));
        var e = Assert.Throws<MilException>(() => ExecutionPlan.Build(b.Build("y"), ChipProfile.Default));
        Assert.Contains(expected, e.Message);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Build_AddShapeMismatch_ThrowsWithLine()
    {
        var b = new TestSupport.MilBuilder().Input("x", DType.Fp16, 1, 4).Input("y", DType.Fp16, 1, 3).Op("z", F16(1, 4), "add", ("x", "x"), ("y", "y"));
        var e = Assert.Throws<MilException>(() => ExecutionPlan.Build(b.Build("z"), ChipProfile.Default));
        Assert.Contains("broadcast", e.Message);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Build_DeclaredTypeDisagrees_Throws()
    {
        var b = new TestSupport.MilBuilder().Input("x", DType.Fp16, 4).Op("y", F32(4), "relu", ("x", "x"));
        var e = Assert.Throws<MilException>(() => ExecutionPlan.Build(b.Build("y"), ChipProfile.Default));
        Assert.Contains("declared", e.Message);
    }

    [Fact]
    public void Build_MissingAndExtraOperands_Throw()
    {
        var missing = new TestSupport.MilBuilder().Input("x", DType.Fp16, 4).Op("y", F16(4), "add", ("x", "x"));
        Assert.Contains("missing operand 'y'", Assert.Throws<MilException>(() => ExecutionPlan.Build(missing.Build("y"), ChipProfile.Default)).Message);
        var extra = new TestSupport.MilBuilder().Input("x", DType.Fp16, 4).Op("y", F16(4), "relu", ("x", "x"), ("alpha", 1));
        Assert.Contains("unexpected operand 'alpha'", Assert.Throws<MilException>(() => ExecutionPlan.Build(extra.Build("y"), ChipProfile.Default)).Message);
    }

    [Fact]
    public void Execute_WithTrace_WritesOneLinePerOp()
    {
        var b = new TestSupport.MilBuilder().Input("x", DType.Fp16, 1, 4).Op("r", F16(1, 4), "relu", ("x", "x")).Op("y", F16(1, 4), "exp", ("x", "r"));
        var plan = ExecutionPlan.Build(b.Build("y", "r"), ChipProfile.Default);
        plan.BindWeights(new Dictionary<string, byte[]>());
        var trace = new StringWriter();
        var r = plan.Execute([[0, -1, 1, 2]], trace);
        var lines = trace.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("relu r fp16[1, 4] <- x fp16[1, 4]", lines[0]);
        Assert.Equal(["y", "r"], plan.Outputs.Select(o => o.Name));
        Assert.Equal([0f, 0f, 1f, 2f], r[1]);
        Assert.Throws<ArgumentException>(() => plan.Execute([new float[3]], null));
    }
}
