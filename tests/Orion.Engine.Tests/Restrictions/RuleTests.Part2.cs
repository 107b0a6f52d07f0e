// Rules R08-R20 and the further limits L01-L07: violating programs are rejected naming the rule; legal ones run.
using Orion.Engine.Ane;
using Orion.Engine.Compiler;
using Orion.Engine.Graph;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.Restrictions;

public sealed partial class RuleTests
{
    private const string WKey = "@model_path/weights/w.bin";

    private static string ConvMil(int ic, int oc, ulong offset = 64, string extraConvArgs = "") => MilText.Program($"{T(ic)} x",
        Const($"tensor<fp16, [{oc}, {ic}, 1, 1]>", "w", $"tensor<fp16, [{oc}, {ic}, 1, 1]>(BLOBFILE(path = string(\"{WKey}\"), offset = uint64({offset})))") +
        Const("string", "pt", "string(\"valid\")") + Const("tensor<int32, [2]>", "st", "tensor<int32, [2]>([1, 1])") +
        Const("tensor<int32, [4]>", "pd", "tensor<int32, [4]>([0, 0, 0, 0])") + Const("tensor<int32, [2]>", "dl", "tensor<int32, [2]>([1, 1])") +
        Const("int32", "gr", "int32(1)") +
        Line($"{T(oc)} y = conv({extraConvArgs}dilations = dl, groups = gr, pad = pd, pad_type = pt, strides = st, weight = w, x = x)[name = string(\"y\")];"), "y");

    private static Dictionary<string, byte[]> ConvWeights(int ic, int oc, int alignment = 64) => new() { [WKey] = Blob(Ref.Random(ic * oc, 9, 0.1f), alignment) };

    [Fact]
    public void R08_BlobOffsetPointsAtData_Rejected_MetadataOffsetRuns()
    {
        Rejected("R08", ConvMil(C, C, offset: 128), ConvWeights(C, C));
        Rejected("R08", ConvMil(C, C, offset: 100), ConvWeights(C, C));
        Assert.Single(Run(ConvMil(C, C), ConvWeights(C, C)));
    }

    [Fact]
    public void R09_MilNotUtf8_Rejected_Utf8Runs()
    {
        var dir = Path.Combine(Path.GetTempPath(), "orion-r09-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(Relu());
            File.WriteAllBytes(Path.Combine(dir, "model.mil"), [.. bytes.Take(20), 0xFF, 0xFE, .. bytes.Skip(20)]);
            var e = Assert.Throws<AneRestrictionException>(() => AneProgramSource.FromFolder(dir));
            Assert.Contains(e.Diagnostics, d => d.RuleId == "R09");
            File.WriteAllBytes(Path.Combine(dir, "model.mil"), bytes);
            var src = AneProgramSource.FromFolder(dir);
            Assert.Single(Run(src.MilText));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void R10_Gelu_Rejected_TanhFormRuns_CompilerLegalizes()
    {
        Rejected("R10", MilText.Program($"{T()} x", Line($"{T()} y = gelu(x = x)[name = string(\"y\")];"), "y"));
        var g = new GraphBuilder("gelu");
        var x = g.Input("x", C, S);
        g.Output("y", g.Gelu(x));
        var p = OrionCompiler.Compile(g.Graph);
        Assert.DoesNotContain("gelu(", p.MilText, StringComparison.Ordinal);
        Assert.Contains("tanh(", p.MilText, StringComparison.Ordinal);
        var input = Ref.Random(C * S, 1); // the seed Run() gives the first input
        var y = Run(p.MilText)["y"];
        Ref.Close(input.Select(v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))).ToList(), y, 1e-2, 4e-3);
    }

    [Fact]
    public void R11_NullWeights_Rejected_EmptyDictionaryRuns()
    {
        var e = Assert.Throws<ArgumentNullException>(() => new AneProgramSource(Relu(), null!));
        Assert.Contains("R11", e.Message, StringComparison.Ordinal);
        Assert.Single(Run(Relu(), NoWeights()));
    }

    private static string MatMulMil(string tx, int inner = 32, string flagsConsts = "") => MilText.Program($"tensor<fp16, [1, 2, 32, {inner}]> a, tensor<fp16, [1, 2, {inner}, 32]> b",
        flagsConsts + Line($"tensor<fp16, [1, 2, 32, 32]> y = matmul(transpose_x = {tx}, transpose_y = ty, x = a, y = b)[name = string(\"y\")];"), "y");

    [Fact]
    public void R12_MatmulFlagsInline_Rejected_NamedConstantsRun()
    {
        var ty = Const("bool", "ty", "bool(false)");
        Rejected("R12", MatMulMil("bool(false)", flagsConsts: ty));
        Assert.Single(Run(MatMulMil("tx", flagsConsts: Const("bool", "tx", "bool(false)") + ty)));
    }

    [Fact]
    public void R13_ConvWithBias_Rejected_ConvPlusAddRuns_CompilerSplits()
    {
        var withBias = ConvMil(C, C, extraConvArgs: "bias = bb, ").Replace("        string pt", "        tensor<fp16, [64]> bb = const()[name = string(\"bb\"), val = tensor<fp16, [64]>([" + string.Join(", ", Enumerable.Repeat("0x0p+0", 64)) + "])];\n        string pt", StringComparison.Ordinal);
        Rejected("R13", withBias, ConvWeights(C, C));
        var g = new GraphBuilder("bias");
        var x = g.Input("x", C, S);
        g.Output("y", g.Conv(x, g.Const("w", new Shape(C, C, 1, 1), Ref.Random(C * C, 2, 0.1f)), g.Const("b", new Shape(C), Ref.Random(C, 3))));
        var p = OrionCompiler.Compile(g.Graph);
        Assert.DoesNotContain("bias", p.MilText, StringComparison.Ordinal);
        Assert.Single(Run(p.MilText, p.Weights.ToDictionary()));
    }

    [Fact]
    public void R14_ReturningParameterOrConstant_Rejected_IdentityRuns()
    {
        Rejected("R14", MilText.Program($"{T()} x", Line($"{T()} y = relu(x = x)[name = string(\"y\")];"), "x, y"));
        Rejected("R14", MilText.Program($"{T()} x", Const("tensor<fp16, [1, 1, 1, 1]>", "k", "tensor<fp16, [1, 1, 1, 1]>([0x1p+0])") + Line($"{T()} y = relu(x = x)[name = string(\"y\")];"), "k, y"));
        Assert.Single(Run(MilText.Program($"{T()} x", Line($"{T()} y = identity(x = x)[name = string(\"y\")];"), "y")));
    }

    [Fact]
    public void R15_BudgetExhausted_ErrorNamesRestartRemedy()
    {
        var d = Device(budget: 1);
        d.Compile(new AneProgramSource(Relu(), NoWeights()));
        var e = Assert.Throws<CompileBudgetExceededException>(() => d.Compile(new AneProgramSource(Relu(), NoWeights())));
        Assert.Contains("restart the process", e.Message, StringComparison.Ordinal);
        Assert.Contains("R15", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void R16_ConvHugeInputChannels_Rejected_NormalRuns()
    {
        Rejected("R16", ConvMil(20_000, 1), ConvWeights(20_000, 1));
        Assert.Single(Run(ConvMil(C, C), ConvWeights(C, C)));
    }

    [Fact]
    public void R17_MatmulWithConstant_WarnsAndRuns_CompilerUsesConv()
    {
        var mil = MilText.Program($"tensor<fp16, [1, 1, 32, 32]> a",
            Const("tensor<fp16, [1, 1, 32, 32]>", "k", "tensor<fp16, [1, 1, 32, 32]>([" + string.Join(", ", Enumerable.Repeat("0x1p-5", 1024)) + "])") +
            Const("bool", "tx", "bool(false)") + Const("bool", "ty", "bool(false)") +
            Line("tensor<fp16, [1, 1, 32, 32]> y = matmul(transpose_x = tx, transpose_y = ty, x = k, y = a)[name = string(\"y\")];"), "y");
        var d = Device();
        var p = d.Compile(new AneProgramSource(mil, NoWeights()));
        Assert.Contains(d.LastWarnings, w => w.RuleId == "R17");
        d.Load(p);
        var g = new GraphBuilder("linear");
        g.Output("y", g.Linear(g.Input("x", C, S), g.Const("w", new Shape(C, C), Ref.Random(C * C, 5, 0.1f))));
        var compiled = OrionCompiler.Compile(g.Graph);
        Assert.DoesNotContain("matmul(", compiled.MilText, StringComparison.Ordinal);
        Assert.Contains("conv(", compiled.MilText, StringComparison.Ordinal);
        Assert.Empty(compiled.Warnings);
    }

    private static string TwoInputs(int sb) => MilText.Program($"{T()} a, {T(C, sb)} b",
        Line($"{T()} y = relu(x = a)[name = string(\"y\")];") + Line($"{T(C, sb)} z = relu(x = b)[name = string(\"z\")];"), "y, z");

    [Fact]
    public void R18_UnequalInputSurfaces_Rejected_EqualRun_AscendingProfileVariant()
    {
        var d = Device();
        var p = d.Compile(new AneProgramSource(TwoInputs(S * 16), NoWeights()));
        d.Load(p);
        Assert.Equal(p.Surfaces.InputBytes[0], p.Surfaces.InputBytes[1]);
        var outs = p.Surfaces.OutputBytes.Select(d.CreateSurface).ToList();
        using var a = d.CreateSurface(ChipProfile.M4.MinSurfaceBytes);
        using var b = d.CreateSurface(C * S * 16 * 2);
        var e = Assert.Throws<AneRestrictionException>(() => d.Evaluate(p, [a, b], outs));
        Assert.Contains(e.Diagnostics, x => x.RuleId == "R18");
        using var a2 = d.CreateSurface(p.Surfaces.InputBytes[0]);
        d.Evaluate(p, [a2, b], outs);
        // The disputed variant: inputs must ascend; the descending order is rejected.
        var asc = Device(ChipProfile.M4 with { InputSizes = InputSizeRule.AscendingInputsDescendingOutputs });
        var q = asc.Compile(new AneProgramSource(TwoInputs(S * 16), NoWeights()));
        asc.Load(q);
        Assert.True(q.Surfaces.InputBytes[0] <= q.Surfaces.InputBytes[1]);
        var e2 = Assert.Throws<AneRestrictionException>(() => asc.Evaluate(q, [b, a], outs));
        Assert.Contains(e2.Diagnostics, x => x.RuleId == "R18");
        asc.Evaluate(q, [a, b], outs);
        foreach (var o in outs) o.Dispose();
    }

    [Fact]
    public void R19_ParametersNotAlphabetical_Rejected_AlphabeticalRun()
    {
        string Mil(string ps) => MilText.Program(ps, Line($"{T()} y = add(x = a, y = b)[name = string(\"y\")];"), "y");
        Rejected("R19", Mil($"{T()} b, {T()} a"));
        Assert.Single(Run(Mil($"{T()} a, {T()} b")));
    }

    [Fact]
    public void R20_SurfaceSmallerThanPackedTensor_Rejected_OversizedRuns()
    {
        int s = 512; // 64 x 512 fp16 = 65,536 bytes, above the 49,152 minimum
        var d = Device();
        var p = d.Compile(new AneProgramSource(MilText.Program($"{T(C, s)} x", Line($"{T(C, s)} y = relu(x = x)[name = string(\"y\")];"), "y"), NoWeights()));
        d.Load(p);
        using var small = d.CreateSurface(ChipProfile.M4.MinSurfaceBytes);
        using var o = d.CreateSurface(p.Surfaces.OutputBytes[0]);
        var e = Assert.Throws<AneRestrictionException>(() => d.Evaluate(p, [small], [o]));
        Assert.Contains(e.Diagnostics, x => x.RuleId == "R20");
        using var big = d.CreateSurface(p.Surfaces.InputBytes[0] + 4096);
        using var o2 = d.CreateSurface(p.Surfaces.OutputBytes[0] + 4096);
        d.Evaluate(p, [big], [o2]);
    }
}
