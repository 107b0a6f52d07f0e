// A tensor's element type and static shape, as carried by graph values and MIL variables.
namespace Orion.Engine.Tensors;

public sealed record TensorType(DType DType, Shape Shape)
{
    public long ByteCount => Shape.ElementCount * DTypes.SizeOf(DType);
    public override string ToString() => $"{DTypes.MilName(DType)}{Shape}";
}
