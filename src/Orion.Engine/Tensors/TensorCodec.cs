// Packed little-endian bytes <-> float values for every dtype a surface or weight blob carries.
using System.Runtime.InteropServices;
using Orion.Engine.Kernels;

namespace Orion.Engine.Tensors;

public static class TensorCodec
{
    /// <summary>Encodes values (fp16 rounded to nearest even and clamped; integers truncated toward zero) as packed bytes.</summary>
    public static byte[] Encode(ReadOnlySpan<float> values, DType dtype)
    {
        var bytes = new byte[values.Length * DTypes.SizeOf(dtype)];
        Encode(values, dtype, bytes);
        return bytes;
    }

    public static void Encode(ReadOnlySpan<float> values, DType dtype, Span<byte> bytes)
    {
        switch (dtype)
        {
            case DType.Fp16: Fp16Convert.FromSingle(values, MemoryMarshal.Cast<byte, ushort>(bytes)); break;
            case DType.Fp32: MemoryMarshal.AsBytes(values).CopyTo(bytes); break;
            case DType.Int8: for (int i = 0; i < values.Length; i++) bytes[i] = unchecked((byte)(sbyte)values[i]); break;
            case DType.UInt8: for (int i = 0; i < values.Length; i++) bytes[i] = (byte)values[i]; break;
            case DType.Int32: for (int i = 0; i < values.Length; i++) MemoryMarshal.Write(bytes[(i * 4)..], (int)values[i]); break;
            default: throw new NotSupportedException($"{DTypes.MilName(dtype)} tensors cannot be encoded as packed bytes");
        }
    }

    public static float[] Decode(ReadOnlySpan<byte> bytes, DType dtype)
    {
        var values = new float[bytes.Length / DTypes.SizeOf(dtype)];
        Decode(bytes, dtype, values);
        return values;
    }

    public static void Decode(ReadOnlySpan<byte> bytes, DType dtype, Span<float> values)
    {
        switch (dtype)
        {
            case DType.Fp16: Fp16Convert.ToSingle(MemoryMarshal.Cast<byte, ushort>(bytes), values); break;
            case DType.Fp32: MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values); break;
            case DType.Int8: for (int i = 0; i < values.Length; i++) values[i] = (sbyte)bytes[i]; break;
            case DType.UInt8: for (int i = 0; i < values.Length; i++) values[i] = bytes[i]; break;
            case DType.Int32: for (int i = 0; i < values.Length; i++) values[i] = MemoryMarshal.Read<int>(bytes[(i * 4)..]); break;
            default: throw new NotSupportedException($"{DTypes.MilName(dtype)} tensors cannot be decoded from packed bytes");
        }
    }
}
