// A value of the emulator's execution plan: a MIL variable with its plan-owned fp32 buffer (ane-reference.md sections 4 and 6).
using Orion.Engine.Mil;
using Orion.Engine.Tensors;

namespace Orion.Engine.Ane.Emulated;

/// <summary>
/// Every value lives as floats of its declared dtype (fp16 values exact fp16, int8/uint8/int32 integer-valued).
/// Constants keep their <see cref="Literal"/> so operands such as <c>axes</c> or <c>pad_type</c> can be read at Build time.
/// </summary>
internal sealed class PlanTensor(string name, DType dtype, int[] dims, float[] data)
{
    public string Name { get; } = name;
    public DType DType { get; } = dtype;
    public int[] Dims { get; } = dims;
    public float[] Data { get; } = data;
    public int Count => Data.Length;
    public int Rank => Dims.Length;

    /// <summary>Known at Build time (a const op or inline literal), or at BindWeights (BLOBFILE data).</summary>
    public bool IsConstant { get; init; }

    /// <summary>The MIL literal a constant came from; null for runtime values and weights.</summary>
    public MilLiteral? Literal { get; init; }

    public static int ElementCount(ReadOnlySpan<int> dims)
    {
        long n = 1;
        foreach (var d in dims) n *= d;
        return checked((int)n);
    }

    public static string DescribeShape(ReadOnlySpan<int> dims) => "[" + string.Join(", ", dims.ToArray()) + "]";

    public override string ToString() => $"{DTypes.MilName(DType)}{DescribeShape(Dims)}";
}

/// <summary>One executed op: its kernel closure over preallocated buffers, plus what the trace prints.</summary>
internal sealed class PlanStep(string op, int line, PlanTensor output, PlanTensor[] inputs, Action run)
{
    public string Op { get; } = op;
    public int Line { get; } = line;
    public PlanTensor Output { get; } = output;
    public PlanTensor[] Inputs { get; } = inputs;
    public Action Run { get; } = run;
}

/// <summary>A BLOBFILE constant waiting for its bytes: BindWeights decodes <see cref="Path"/> at <see cref="Offset"/> into <see cref="Target"/>.</summary>
internal sealed record WeightSlot(string Path, ulong Offset, PlanTensor Target, int Line);
