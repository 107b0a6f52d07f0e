// Each compiler pass does its job, observed through the graph (dump) and the emitted MIL.
using Orion.Engine.Compiler;
using Orion.Engine.Graph;
using Orion.Engine.Mil;
using Orion.Engine.Tensors;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.Compiler;

public sealed class PassTests
{
    private const int C = 64, S = 32;

    private static string Dump(Orion.Engine.Graph.Graph g, string pass)
    {
        var w = new StringWriter();
        OrionCompiler.Compile(g, new CompilerOptions { DumpAfter = pass, DumpWriter = w });
        return w.ToString();
    }

    private static Orion.Engine.Graph.Graph LinearGelu()
    {
        var b = new GraphBuilder("lin");
        var x = b.Input("x", C, S);
        var h = b.Linear(x, b.Const("w", new Shape(C, C), Ref.Random(C * C, 1, 0.1f)), b.Const("bias", new Shape(C), Ref.Random(C, 2)));
        b.Output("y", b.Gelu(h));
        return b.Graph;
    }

    [Fact]
    public void Layout_OutputNamedLikeAnInnerNode_RenamesTheInnerNode()
    {
        // A linear named "qkv" whose biased result is returned as "qkv": the inner node must move aside.
        var b = new GraphBuilder("names");
        var x = b.Input("x", 64, 64);
        var w = b.Const("w", new Shape(64, 64), new float[64 * 64]);
        var bias = b.Const("bias", new Shape(64), new float[64]);
        b.Output("qkv", b.Linear(x, w, bias, "qkv"));
        var p = OrionCompiler.Compile(b.Graph);
        Assert.Equal("qkv", Assert.Single(p.Manifest.Outputs).Name);
    }

    [Fact]
    public void Legalize_LinearAndGelu_BecomeConvAndTanh()
    {
        var text = Dump(LinearGelu(), "legalize");
        Assert.Contains("= conv(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("= matmul(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("= gelu(", text, StringComparison.Ordinal);
        Assert.Contains("= tanh(", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Legalize_ConvBias_SplitIntoAdd()
    {
        var b = new GraphBuilder("bias");
        b.Output("y", b.Conv(b.Input("x", C, S), b.Const("w", new Shape(C, C, 1, 1), new float[C * C]), b.Const("b", new Shape(C), new float[C])));
        var text = Dump(b.Graph, "legalize");
        Assert.Contains("= add(%", text, StringComparison.Ordinal);
        Assert.Matches(@"= conv\(%x, %w\)", text);
    }

    [Fact]
    public void Legalize_Rank2Interface_BecomesRank4()
    {
        var b = new GraphBuilder("r2");
        var x = b.Input("x", new Shape(C, S));
        b.Output("y", b.Relu(x));
        var p = OrionCompiler.Compile(b.Graph);
        Assert.Equal([1, C, 1, S], p.Manifest.Inputs[0].Shape);
        Assert.Equal([1, C, 1, S], p.Manifest.Outputs[0].Shape);
    }

    [Fact]
    public void Fuse_ReshapeChainsAndIdentities_Collapse()
    {
        var text = Dump(LinearGelu(), "fuse");
        // Linear's reshape -> conv -> reshape pairs cancel: no reshape survives.
        Assert.DoesNotContain("reshape(", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Fuse_ScaleAfterConv_FoldedIntoWeights()
    {
        var b = new GraphBuilder("scale");
        var w = Ref.Random(C * C, 3, 0.1f);
        var y = b.Mul(b.Conv(b.Input("x", C, S), b.Const("w", new Shape(C, C, 1, 1), w)), b.Scalar(0.5f));
        b.Output("y", y);
        var g = b.Graph;
        var text = Dump(g, "fuse");
        Assert.DoesNotContain("= mul(", text, StringComparison.Ordinal);
        var folded = g.Nodes.Single(n => n.Op == OpKind.Const && n.Type.Shape.Rank == 4).Data!;
        Assert.Equal(w.Select(v => Fp16.Round(v * 0.5f)), folded);
    }

    [Fact]
    public void Fuse_ConstantSubgraph_Folded()
    {
        var b = new GraphBuilder("fold");
        var c = b.Add(b.Const("a", new Shape(1, C, 1, 1), Enumerable.Repeat(1f, C).ToArray()), b.Const("k", new Shape(1, C, 1, 1), Enumerable.Repeat(2f, C).ToArray()));
        b.Output("y", b.Mul(b.Input("x", C, S), c));
        var text = Dump(b.Graph, "fuse");
        Assert.DoesNotContain("= add(", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Layout_OutputsSortedAndPassthroughMadeLive()
    {
        var b = new GraphBuilder("io");
        var x = b.Input("x", C, S);
        b.Output("zeta", b.Relu(x));
        b.Output("alpha", x);
        var p = OrionCompiler.Compile(b.Graph);
        Assert.Equal(["alpha", "zeta"], p.Mil.Main.Outputs);
        Assert.Contains("identity(x = x)", p.MilText, StringComparison.Ordinal);
        Assert.All(p.Manifest.Outputs, o => Assert.Equal(49_152, o.SurfaceBytes));
        Assert.Equal(C * S * 2, p.Manifest.Outputs[0].PackedBytes);
    }

    [Fact]
    public void Emit_Header_IsSection4Dialect()
    {
        var p = OrionCompiler.Compile(LinearGelu());
        Assert.StartsWith(MilText.Header + "    func main<ios18>(tensor<fp16, [1, 64, 1, 32]> x) {\n", p.MilText, StringComparison.Ordinal);
        Assert.EndsWith("    } -> (y);\n}\n", p.MilText, StringComparison.Ordinal);
        Assert.Matches(@"string \w+_pad_type = const\(\)\[name = string\(""\w+""\), val = string\(""valid""\)\];", p.MilText);
        Assert.Matches(@"tensor<fp16, \[64, 64, 1, 1\]> w\w* = const\(\)\[name = string\(""w\w*""\), val = tensor<fp16, \[64, 64, 1, 1\]>\(BLOBFILE\(path = string\(""@model_path/weights/w\w*\.bin""\), offset = uint64\(64\)\)\)\];", p.MilText);
        Assert.Matches(@"= conv\(dilations = \w+, groups = \w+, pad = \w+, pad_type = \w+, strides = \w+, weight = w\w*, x = x\)\[name = string\(""\w+""\)\];", p.MilText);
    }

    [Fact]
    public void Emit_MatmulFlags_AreNamedConstants()
    {
        var b = new GraphBuilder("mm");
        b.Output("y", b.MatMul(b.Input("a", new Shape(1, 2, 32, 32)), b.Input("c", new Shape(1, 2, 32, 32)), transposeY: true));
        var p = OrionCompiler.Compile(b.Graph);
        Assert.Matches(@"bool \w+_transpose_y = const\(\)\[name = string\(""\w+""\), val = bool\(true\)\];", p.MilText);
        Assert.Matches(@"matmul\(transpose_x = \w+, transpose_y = \w+, x = a, y = c\)", p.MilText);
    }

    [Fact]
    public void Emit_PrintParsePrint_Stable()
    {
        foreach (var name in Programs.CompositePrograms.Builders.Keys)
        {
            var p = OrionCompiler.Compile(Programs.CompositePrograms.Build(name));
            Assert.Equal(p.MilText, MilPrinter.Print(MilParser.Parse(p.MilText)));
        }
    }

    [Fact]
    public void Compile_SameGraphTwice_IdenticalOutput()
    {
        var a = OrionCompiler.Compile(Programs.CompositePrograms.Build("attention"));
        var b = OrionCompiler.Compile(Programs.CompositePrograms.Build("attention"));
        Assert.Equal(a.MilText, b.MilText);
        Assert.Equal(a.Weights.Keys.Order(), b.Weights.Keys.Order());
        foreach (var k in a.Weights.Keys) Assert.Equal(a.Weights[k], b.Weights[k]);
        Assert.Equal(a.Manifest.ToJson(), b.Manifest.ToJson());
    }

    [Fact]
    public void DumpAfter_UnknownPass_Throws() =>
        Assert.Throws<ArgumentException>(() => OrionCompiler.Compile(LinearGelu(), new CompilerOptions { DumpAfter = "optimize", DumpWriter = new StringWriter() }));

    [Fact]
    public void DumpAfter_Weights_ListsFilesAndOffsets()
    {
        var text = Dump(LinearGelu(), "weights");
        Assert.Matches(@"// weight w\w*: @model_path/weights/w\w*\.bin offset=64 data=128 fp16\[64, 64, 1, 1\] 8192 bytes", text);
    }
}
