// The graph IR's operations: what transformer forward and backward passes need (issue: engine core, item 2).
namespace Orion.Engine.Graph;

public enum OpKind
{
    Input,
    Const,
    Conv,
    MatMul,
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Sqrt,
    Exp,
    Neg,
    Relu,
    Sigmoid,
    Tanh,
    /// <summary>Not ANE-legal (R10): legalize rewrites it to the tanh approximation.</summary>
    Gelu,
    Softmax,
    ReduceSum,
    ReduceMean,
    ReduceMax,
    Reshape,
    Transpose,
    Slice,
    Concat,
    Cast,
    Quantize,
    Dequantize,
    Identity,
}
