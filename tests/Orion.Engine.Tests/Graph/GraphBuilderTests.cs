// Graph IR: eager shape inference with clear errors, and the validator naming the node and pass.
using Orion.Engine.Graph;
using Orion.Engine.Tensors;
using Xunit;

namespace Orion.Engine.Tests.Graph;

public sealed class GraphBuilderTests
{
    [Fact]
    public void Add_Broadcasts_NumpyRules()
    {
        var b = new GraphBuilder("g");
        var y = b.Add(b.Input("x", 8, 16), b.Const("c", new Shape(1, 8, 1, 1), new float[8]));
        Assert.Equal(Shape.Ane(8, 16), y.Type.Shape);
    }

    [Fact]
    public void Add_IncompatibleShapes_ThrowsNamingBoth()
    {
        var b = new GraphBuilder("g");
        var e = Assert.Throws<GraphException>(() => b.Add(b.Input("x", 8, 16), b.Input("z", 4, 16)));
        Assert.Contains("[1, 8, 1, 16]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 4, 1, 16]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MatMul_InnerMismatch_Throws()
    {
        var b = new GraphBuilder("g");
        Assert.Throws<GraphException>(() => b.MatMul(b.Input("a", new Shape(2, 3)), b.Input("c", new Shape(4, 5))));
        Assert.Equal(new Shape(1, 2, 3, 5), b.MatMul(b.Input("p", new Shape(1, 2, 3, 4)), b.Input("q", new Shape(1, 1, 5, 4)), transposeY: true).Type.Shape);
    }

    [Fact]
    public void Reshape_WrongElementCount_Throws()
    {
        var b = new GraphBuilder("g");
        Assert.Throws<GraphException>(() => b.Reshape(b.Input("x", 8, 16), new Shape(1, 8, 1, 15)));
    }

    [Fact]
    public void ReduceTransposeSliceConcat_InferShapes()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", new Shape(1, 4, 6, 8));
        Assert.Equal(new Shape(1, 1, 6, 8), b.ReduceSum(x, [1]).Type.Shape);
        Assert.Equal(new Shape(1, 6), b.ReduceMax(x, [1, -1], keepDims: false).Type.Shape);
        Assert.Equal(new Shape(1, 4, 8, 6), b.Transpose(x, [0, 1, 3, 2]).Type.Shape);
        Assert.Equal(new Shape(1, 2, 6, 5), b.Slice(x, [0, 1, 0, 3], [1, 2, -1, -1]).Type.Shape);
        Assert.Equal(new Shape(1, 8, 6, 8), b.Concat(1, [x, x]).Type.Shape);
        Assert.Throws<GraphException>(() => b.Transpose(x, [0, 1, 1, 2]));
        Assert.Throws<GraphException>(() => b.Slice(x, [0, 3, 0, 0], [1, 2, 6, 8]));
    }

    [Fact]
    public void QuantizeDequantize_Types()
    {
        var b = new GraphBuilder("g");
        var q = b.Quantize(b.Input("x", 8, 16), 0.1f, 0f);
        Assert.Equal(DType.Int8, q.Type.DType);
        Assert.Equal(DType.Fp16, b.Dequantize(q, 0.1f, 0f).Type.DType);
        Assert.Throws<GraphException>(() => b.Dequantize(b.Input("f", 8, 16), 0.1f, 0f));
    }

    [Fact]
    public void Const_WrongValueCount_Throws() =>
        Assert.Throws<GraphException>(() => new GraphBuilder("g").Const("c", new Shape(2, 2), new float[3]));

    [Fact]
    public void Const_Fp16_RoundsValues()
    {
        var c = new GraphBuilder("g").Const("c", new Shape(1), [1.0001f]);
        Assert.Equal(1f, c.Data![0]);
    }

    [Fact]
    public void Validate_NoOutputs_Throws() =>
        Assert.Throws<GraphException>(() => GraphValidator.Validate(new GraphBuilder("g").Graph, "input"));

    [Fact]
    public void Validate_CorruptedType_NamesNodeAndPass()
    {
        var b = new GraphBuilder("g");
        var y = b.Relu(b.Input("x", 8, 16), "act");
        b.Output("y", y);
        y.Type = y.Type with { Shape = Shape.Ane(8, 15) };
        var e = Assert.Throws<GraphException>(() => GraphValidator.Validate(b.Graph, "fuse"));
        Assert.Contains("%act", e.Message, StringComparison.Ordinal);
        Assert.Contains("'fuse'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UniqueName_SanitisesAndDeduplicates()
    {
        var g = new GraphBuilder("g").Graph;
        Assert.Equal("a_b", g.UniqueName("a.b"));
        Assert.Equal("a_b_1", g.UniqueName("a.b"));
        Assert.Equal("v_0x", g.UniqueName("0x"));
    }
}
