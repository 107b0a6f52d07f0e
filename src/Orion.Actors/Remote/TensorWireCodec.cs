// Encodes/decodes tensor chunk bytes: fp32 as little-endian IEEE bits, bf16 as the rounded (nearest even) upper 16 bits.
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Orion.Actors.Remote;

internal static class TensorWireCodec
{
    public static int BytesPerElement(TensorEncoding encoding) => encoding == TensorEncoding.Bf16 ? 2 : 4;

    /// <summary>fp32 -> bf16 with round-to-nearest-even on the dropped 16 bits; NaN stays a (quiet) NaN,
    /// overflow past the largest bf16 becomes infinity as IEEE rounding requires.</summary>
    public static ushort ToBf16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);
        bits += 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)(bits >> 16);
    }

    public static float FromBf16(ushort value) => BitConverter.UInt32BitsToSingle((uint)value << 16);

    /// <summary>Encodes <paramref name="source"/> into exactly source.Length * BytesPerElement bytes.</summary>
    public static void Encode(ReadOnlySpan<float> source, Span<byte> destination, TensorEncoding encoding)
    {
        if (encoding == TensorEncoding.Bf16)
        {
            for (int i = 0; i < source.Length; i++)
                BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * i)..], ToBf16(source[i]));
        }
        else if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(source).CopyTo(destination);
        }
        else
        {
            for (int i = 0; i < source.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(destination[(4 * i)..], source[i]);
        }
    }

    /// <summary>Decodes <paramref name="source"/> (a whole number of elements) straight into <paramref name="destination"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> source, Span<float> destination, TensorEncoding encoding)
    {
        if (encoding == TensorEncoding.Bf16)
        {
            for (int i = 0; i < destination.Length; i++)
                destination[i] = FromBf16(BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]));
        }
        else if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
        }
        else
        {
            for (int i = 0; i < destination.Length; i++)
                destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
        }
    }
}
