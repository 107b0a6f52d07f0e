// A MIL type as written in program text (ane-reference.md section 4): a bare scalar `fp16`, or `tensor<fp16, [dims]>`.
using Orion.Engine.Tensors;

namespace Orion.Engine.Mil;

/// <summary>
/// MIL type. <see cref="Shape"/> is null for the bare scalar form (<c>fp16 x</c>) and
/// <see cref="Tensors.Shape.Scalar"/> for the rank-0 tensor form (<c>tensor&lt;fp16, []&gt; x</c>);
/// both mean the same thing, and the printer keeps whichever form was parsed.
/// </summary>
public sealed record MilType(DType ElementType, Shape? Shape)
{
    public static MilType Scalar(DType t) => new(t, null);
    public static MilType Tensor(DType t, params int[] dims) => new(t, new Shape(dims));

    public bool IsTensorForm => Shape is not null;
    public Shape EffectiveShape => Shape ?? Tensors.Shape.Scalar;
    public TensorType ToTensorType() => new(ElementType, EffectiveShape);

    /// <summary>Same element type and dims, regardless of scalar spelling.</summary>
    public bool SameAs(MilType other) => ElementType == other.ElementType && EffectiveShape == other.EffectiveShape;

    public override string ToString() => Shape is null
        ? DTypes.MilName(ElementType)
        : $"tensor<{DTypes.MilName(ElementType)}, [{string.Join(", ", Shape.ToArray())}]>";
}
