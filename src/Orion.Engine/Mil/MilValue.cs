// Operand values of MIL statements: references, literals, BLOBFILE constants and tuples (ane-reference.md section 4).
namespace Orion.Engine.Mil;

public abstract record MilValue;

/// <summary>A reference to a function parameter or an earlier statement's output.</summary>
public sealed record MilRef(string Name) : MilValue
{
    public override string ToString() => Name;
}

/// <summary>
/// An inline literal: a scalar (<c>fp16(0x1p-3)</c>, <c>int32(1)</c>, <c>bool(true)</c>, <c>string("x")</c>)
/// or a tensor literal (<c>tensor&lt;int32, [4]&gt;([0, 0, 0, 0])</c>). Elements are
/// <see cref="double"/> for fp16/fp32, <see cref="long"/> for integer types, <see cref="bool"/> and <see cref="string"/>.
/// </summary>
public sealed record MilLiteral(MilType Type, IReadOnlyList<object> Elements) : MilValue
{
    public static MilLiteral String(string s) => new(MilType.Scalar(Tensors.DType.String), [s]);
    public static MilLiteral Int32(long v) => new(MilType.Scalar(Tensors.DType.Int32), [v]);
    public static MilLiteral Bool(bool v) => new(MilType.Scalar(Tensors.DType.Bool), [v]);
    public static MilLiteral Fp16(double v) => new(MilType.Scalar(Tensors.DType.Fp16), [v]);
    public static MilLiteral Fp32(double v) => new(MilType.Scalar(Tensors.DType.Fp32), [v]);
    public static MilLiteral Int32s(params int[] v) => new(MilType.Tensor(Tensors.DType.Int32, v.Length), v.Select(x => (object)(long)x).ToArray());

    public string AsString() => (string)Elements[0];
    public long AsInt() => Convert.ToInt64(Elements[0], System.Globalization.CultureInfo.InvariantCulture);
    public bool AsBool() => (bool)Elements[0];
    public double AsDouble() => Convert.ToDouble(Elements[0], System.Globalization.CultureInfo.InvariantCulture);
    public long[] AsInts() => Elements.Select(e => Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    public double[] AsDoubles() => Elements.Select(e => Convert.ToDouble(e, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}

/// <summary>
/// A constant stored in a weight blob file: <c>tensor&lt;fp16, [..]&gt;(BLOBFILE(path = string("@model_path/weights/w.bin"), offset = uint64(64)))</c>.
/// <see cref="Offset"/> points at the blob's 64-byte metadata block, not at its data (R08).
/// </summary>
public sealed record MilBlobFile(MilType Type, string Path, ulong Offset) : MilValue;

/// <summary>A parenthesised list of values, e.g. <c>values = (a, b)</c> of concat.</summary>
public sealed record MilTuple(IReadOnlyList<MilValue> Items) : MilValue;
