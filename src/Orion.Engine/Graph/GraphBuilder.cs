// Builds graphs op by op with eager shape inference, so a wrong shape fails where it is written.
using Orion.Engine.Tensors;

namespace Orion.Engine.Graph;

public sealed class GraphBuilder(string name, DType dtype = DType.Fp16)
{
    public Graph Graph { get; } = new(name);

    /// <summary>Element type of inputs and constants made without an explicit dtype.</summary>
    public DType DType { get; } = dtype;

    public Node Input(string name, Shape shape, DType? dtype = null) => Graph.Add(OpKind.Input, name, [], new TensorType(dtype ?? DType, shape));

    /// <summary>An input on the ANE's native layout [1, channels, 1, seq].</summary>
    public Node Input(string name, int channels, int seq) => Input(name, Shape.Ane(channels, seq));

    public Node Const(string name, Shape shape, float[] values, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != shape.ElementCount)
            throw new GraphException($"constant '{name}' has {values.Length} values for shape {shape} ({shape.ElementCount} elements)");
        var t = dtype ?? DType;
        var data = t == DType.Fp16 ? values.Select(Fp16.Round).ToArray() : (float[])values.Clone();
        return Graph.Add(OpKind.Const, name, [], new TensorType(t, shape), null, data);
    }

    public Node Scalar(float value, string? name = null) => Const(name ?? "s", Shape.Scalar, [value]);

    public Node Output(string name, Node node)
    {
        if (Graph.Outputs.Any(o => o.Name == name)) throw new GraphException($"output '{name}' is declared twice");
        Graph.Outputs.Add((name, node));
        return node;
    }

    public Node Op(OpKind op, IReadOnlyList<Node> inputs, NodeAttributes? attributes = null, string? name = null)
    {
        var a = attributes ?? NodeAttributes.None;
        var type = ShapeInference.Infer(op, inputs.Select(i => i.Type).ToList(), a);
        return Graph.Add(op, name, inputs, type, a);
    }

    /// <summary>1x1 convolution: weight [OC, IC, 1, 1]; an optional bias (legalize splits it off, R13).</summary>
    public Node Conv(Node x, Node weight, Node? bias = null, string? name = null) =>
        Op(OpKind.Conv, bias is null ? [x, weight] : [x, weight, bias], null, name);

    public Node MatMul(Node x, Node y, bool transposeX = false, bool transposeY = false, string? name = null) =>
        Op(OpKind.MatMul, [x, y], new NodeAttributes { TransposeX = transposeX, TransposeY = transposeY }, name);

    /// <summary>y = W·x (+ b) on [1, I, 1, S] -> [1, O, 1, S], written as a matmul (legalize turns it into a 1x1 conv).</summary>
    public Node Linear(Node x, Node weightOutIn, Node? bias = null, string? name = null)
    {
        var x2 = Reshape(x, new Shape(1, 1, x.Type.Shape[1], x.Type.Shape[3]));
        var y = MatMul(weightOutIn, x2, name: name);
        var y4 = Reshape(y, Shape.Ane(weightOutIn.Type.Shape[-2], x.Type.Shape[3]));
        return bias is null ? y4 : Add(y4, Reshape(bias, new Shape(1, bias.Type.Shape.ElementCount > 0 ? (int)bias.Type.Shape.ElementCount : 1, 1, 1)));
    }

    public Node Add(Node x, Node y, string? name = null) => Op(OpKind.Add, [x, y], null, name);
    public Node Sub(Node x, Node y, string? name = null) => Op(OpKind.Sub, [x, y], null, name);
    public Node Mul(Node x, Node y, string? name = null) => Op(OpKind.Mul, [x, y], null, name);
    public Node Div(Node x, Node y, string? name = null) => Op(OpKind.Div, [x, y], null, name);
    public Node Pow(Node x, float exponent, string? name = null) => Op(OpKind.Pow, [x, Scalar(exponent, "pow_e")], null, name);
    public Node Sqrt(Node x, string? name = null) => Op(OpKind.Sqrt, [x], null, name);
    public Node Exp(Node x, string? name = null) => Op(OpKind.Exp, [x], null, name);
    public Node Neg(Node x, string? name = null) => Op(OpKind.Neg, [x], null, name);
    public Node Relu(Node x, string? name = null) => Op(OpKind.Relu, [x], null, name);
    public Node Sigmoid(Node x, string? name = null) => Op(OpKind.Sigmoid, [x], null, name);
    public Node Tanh(Node x, string? name = null) => Op(OpKind.Tanh, [x], null, name);
    public Node Gelu(Node x, string? name = null) => Op(OpKind.Gelu, [x], null, name);
    public Node Identity(Node x, string? name = null) => Op(OpKind.Identity, [x], null, name);
    public Node Softmax(Node x, int axis, string? name = null) => Op(OpKind.Softmax, [x], new NodeAttributes { Axis = axis }, name);

    public Node ReduceSum(Node x, int[] axes, bool keepDims = true, string? name = null) => Op(OpKind.ReduceSum, [x], new NodeAttributes { Axes = axes, KeepDims = keepDims }, name);
    public Node ReduceMean(Node x, int[] axes, bool keepDims = true, string? name = null) => Op(OpKind.ReduceMean, [x], new NodeAttributes { Axes = axes, KeepDims = keepDims }, name);
    public Node ReduceMax(Node x, int[] axes, bool keepDims = true, string? name = null) => Op(OpKind.ReduceMax, [x], new NodeAttributes { Axes = axes, KeepDims = keepDims }, name);

    public Node Reshape(Node x, Shape shape, string? name = null) => Op(OpKind.Reshape, [x], new NodeAttributes { NewShape = shape }, name);
    public Node Transpose(Node x, int[] perm, string? name = null) => Op(OpKind.Transpose, [x], new NodeAttributes { Perm = perm }, name);
    public Node Slice(Node x, int[] begin, int[] size, string? name = null) => Op(OpKind.Slice, [x], new NodeAttributes { Begin = begin, Size = size }, name);
    public Node Concat(int axis, Node[] values, string? name = null) => Op(OpKind.Concat, values, new NodeAttributes { Axis = axis }, name);
    public Node Cast(Node x, DType target, string? name = null) => Op(OpKind.Cast, [x], new NodeAttributes { Target = target }, name);

    /// <summary>Affine int8/uint8 quantisation with a per-tensor scale and zero point.</summary>
    public Node Quantize(Node x, float scale, float zeroPoint, DType target = DType.Int8, string? name = null) =>
        Op(OpKind.Quantize, [x], new NodeAttributes { Scale = scale, ZeroPoint = zeroPoint, Target = target }, name);

    public Node Dequantize(Node q, float scale, float zeroPoint, DType? target = null, string? name = null) =>
        Op(OpKind.Dequantize, [q], new NodeAttributes { Scale = scale, ZeroPoint = zeroPoint, Target = target ?? DType }, name);
}
