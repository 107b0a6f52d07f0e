// The further limits of ane-reference.md section 7 (L01-L07): rejected when violated, running when legal.
using Orion.Engine.Compiler;
using Orion.Engine.Graph;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.Restrictions;

public sealed partial class RuleTests
{
    // x + c0 + c1 + ... with each c_i a [1, C, 1, 1] BLOBFILE constant in its own file.
    private static (string Mil, Dictionary<string, byte[]> Weights) ManyBlobs(int n)
    {
        var body = "";
        var weights = new Dictionary<string, byte[]>();
        string prev = "x";
        for (int i = 0; i < n; i++)
        {
            var key = $"@model_path/weights/c{i}.bin";
            weights[key] = Blob(Ref.Random(C, (ulong)i));
            body += Const($"tensor<fp16, [1, {C}, 1, 1]>", $"c{i}", $"tensor<fp16, [1, {C}, 1, 1]>(BLOBFILE(path = string(\"{key}\"), offset = uint64(64)))");
            body += Line($"{T()} s{i} = add(x = {prev}, y = c{i})[name = string(\"s{i}\")];");
            prev = $"s{i}";
        }
        body += Line($"{T()} y = identity(x = {prev})[name = string(\"y\")];");
        return (MilText.Program($"{T()} x", body, "y"), weights);
    }

    [Fact]
    public void L01_SeventeenBlobTensors_Rejected_SixteenRun()
    {
        var (bad, bw) = ManyBlobs(17);
        Rejected("L01", bad, bw);
        var (ok, ow) = ManyBlobs(16);
        Assert.Single(Run(ok, ow));
    }

    [Fact]
    public void L02_Rsqrt_Rejected_PowMinusHalfRuns()
    {
        Rejected("L02", MilText.Program($"{T()} x", Line($"{T()} y = rsqrt(x = x)[name = string(\"y\")];"), "y"));
        var ok = MilText.Program($"{T()} x", Const("fp16", "e", "fp16(-0x1p-1)") + Const("fp16", "one", "fp16(0x1p+1)") +
            Line($"{T()} p = add(x = x, y = one)[name = string(\"p\")];") + Line($"{T()} y = pow(x = p, y = e)[name = string(\"y\")];"), "y");
        Assert.Single(Run(ok));
    }

    [Fact]
    public void L03_MatmulInnerNotMultipleOf32_Rejected_MultipleRuns()
    {
        var flags = Const("bool", "tx", "bool(false)") + Const("bool", "ty", "bool(false)");
        Rejected("L03", MatMulMil("tx", inner: 48, flagsConsts: flags));
        Assert.Single(Run(MatMulMil("tx", inner: 64, flagsConsts: flags)));
    }

    [Fact]
    public void L04_GroupedConvWithRuntimeWeights_Rejected_ConstantWeightsRun()
    {
        string Mil(bool runtime) => MilText.Program(runtime ? $"{T()} x, tensor<fp16, [{C}, 1, 1, 1]> y" : $"{T()} x",
            (runtime ? "" : Const($"tensor<fp16, [{C}, 1, 1, 1]>", "y", $"tensor<fp16, [{C}, 1, 1, 1]>(BLOBFILE(path = string(\"{WKey}\"), offset = uint64(64)))")) +
            Const("string", "pt", "string(\"valid\")") + Const("tensor<int32, [2]>", "st", "tensor<int32, [2]>([1, 1])") +
            Const("tensor<int32, [4]>", "pd", "tensor<int32, [4]>([0, 0, 0, 0])") + Const("tensor<int32, [2]>", "dl", "tensor<int32, [2]>([1, 1])") +
            Const("int32", "gr", $"int32({C})") +
            Line($"{T()} z = conv(dilations = dl, groups = gr, pad = pd, pad_type = pt, strides = st, weight = y, x = x)[name = string(\"z\")];"), "z");
        Rejected("L04", Mil(runtime: true));
        Assert.Single(Run(Mil(runtime: false), new() { [WKey] = Blob(Ref.Random(C, 3)) }));
    }

    [Fact]
    public void L05_FewChannelsOnM5_Rejected_SixtyFourRun()
    {
        string Mil(int c) => MilText.Program($"{T(c, 512)} x", Line($"{T(c, 512)} y = relu(x = x)[name = string(\"y\")];"), "y");
        Rejected("L05", Mil(32), profile: ChipProfile.M5);
        Assert.Single(Run(Mil(32), profile: ChipProfile.M4));
        Assert.Single(Run(Mil(64), profile: ChipProfile.M5));
    }

    [Fact]
    public void L06_BlobDataNot128AlignedOnM5_Rejected_AlignedRuns()
    {
        // A legal Core ML blob whose data starts at byte 192: 64-aligned, not 128-aligned.
        var blob = ConvWeights(C, C)[WKey];
        var shifted = new byte[blob.Length + 64];
        blob.AsSpan(0, 128).CopyTo(shifted);
        blob.AsSpan(128).CopyTo(shifted.AsSpan(192));
        BitConverter.TryWriteBytes(shifted.AsSpan(80), 192UL);
        Assert.Single(Run(ConvMil(C, C), new() { [WKey] = shifted }, ChipProfile.M4));
        Rejected("L06", ConvMil(C, C), new() { [WKey] = shifted }, ChipProfile.M5);
        var g = new GraphBuilder("aligned");
        g.Output("y", g.Conv(g.Input("x", C, S), g.Const("w", new Shape(C, C, 1, 1), Ref.Random(C * C, 7, 0.1f))));
        var p = OrionCompiler.Compile(g.Graph, new CompilerOptions { Profile = ChipProfile.M5 });
        Assert.All(p.Manifest.Weights, w => Assert.Equal(0UL, w.DataOffset % 128));
        Assert.Single(Run(p.MilText, p.Weights.ToDictionary(), ChipProfile.M5));
    }

    [Fact]
    public void L07_MultiBlobFileOnM1_Rejected_OneFilePerTensorRuns()
    {
        Orion.Engine.Graph.Graph Two()
        {
            var g = new GraphBuilder("two");
            var x = g.Input("x", C, S);
            var h = g.Conv(x, g.Const("w1", new Shape(C, C, 1, 1), Ref.Random(C * C, 1, 0.1f)));
            g.Output("y", g.Conv(h, g.Const("w2", new Shape(C, C, 1, 1), Ref.Random(C * C, 2, 0.1f))));
            return g.Graph;
        }
        var e = Assert.Throws<AneRestrictionException>(() => OrionCompiler.Compile(Two(), new CompilerOptions { Profile = ChipProfile.M1, MultiBlobFile = true }));
        Assert.Contains(e.Diagnostics, d => d.RuleId == "L07");
        var multi = OrionCompiler.Compile(Two(), new CompilerOptions { Profile = ChipProfile.M4, MultiBlobFile = true });
        Assert.Single(multi.Weights);
        Rejected("L07", multi.MilText, multi.Weights.ToDictionary(), ChipProfile.M1);
        var single = OrionCompiler.Compile(Two(), new CompilerOptions { Profile = ChipProfile.M1 });
        Assert.Equal(2, single.Weights.Count);
        Assert.Single(Run(single.MilText, single.Weights.ToDictionary(), ChipProfile.M1));
        // Both layouts compute the same thing.
        Assert.Equal(Run(single.MilText, single.Weights.ToDictionary())["y"], Run(multi.MilText, multi.Weights.ToDictionary())["y"]);
    }
}
