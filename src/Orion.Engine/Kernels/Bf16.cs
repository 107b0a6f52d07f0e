// bfloat16 (the top 16 bits of an fp32) for gradients on the wire: round to nearest, ties to even, NaN kept a NaN.
// Integer operations only, so every CPU and vector width gives the same bits; rounding then packing is what a sender
// does, and rounding in place is what the coordinator does to every shard's gradient in a bf16 run, on one machine
// or many, so both modes sum the very same values.
using System.Numerics;
using System.Runtime.InteropServices;

namespace Orion.Engine.Kernels;

public static class Bf16
{
    /// <summary>The bf16 bits of one fp32 value (round to nearest even; a NaN stays a quiet NaN; overflow goes to infinity).</summary>
    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) return (ushort)((bits | 0x0040_0000) >> 16);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }

    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>Rounds every value to the nearest bf16 value, kept as fp32 (exactly what <see cref="FromSingle"/> then <see cref="ToSingle"/> give).</summary>
    public static void RoundInPlace(Span<float> values)
    {
        var bits = MemoryMarshal.Cast<float, uint>(values);
        int i = 0;
        if (Vector.IsHardwareAccelerated && bits.Length >= Vector<uint>.Count)
        {
            var v = MemoryMarshal.Cast<uint, Vector<uint>>(bits);
            Vector<uint> abs = new(0x7FFF_FFFF), inf = new(0x7F80_0000), quiet = new(0x0040_0000), bias = new(0x7FFF), one = Vector<uint>.One, top = new(0xFFFF_0000);
            for (int j = 0; j < v.Length; j++)
            {
                var x = v[j];
                var rounded = (x + bias + (Vector.ShiftRightLogical(x, 16) & one)) & top;
                var nan = Vector.GreaterThan(x & abs, inf);
                v[j] = Vector.ConditionalSelect(nan, (x | quiet) & top, rounded);
            }
            i = v.Length * Vector<uint>.Count;
        }
        for (; i < bits.Length; i++) bits[i] = (uint)FromSingle(BitConverter.UInt32BitsToSingle(bits[i])) << 16;
    }

    /// <summary>fp32 values to bf16 bits (two bytes each).</summary>
    public static void Pack(ReadOnlySpan<float> values, Span<ushort> bits)
    {
        if (bits.Length < values.Length) throw new ArgumentException($"destination holds {bits.Length} values, source has {values.Length}", nameof(bits));
        for (int i = 0; i < values.Length; i++) bits[i] = FromSingle(values[i]);
    }

    /// <summary>
    /// The first <paramref name="count"/> bf16 values stored in <paramref name="buffer"/>'s first 2 x count bytes become
    /// its first <paramref name="count"/> fp32 values, in place (a received tensor needs no second array). From the
    /// end down: value i is written over bf16 entries 2i and 2i+1, which are consumed by then (or, for i = 0, read first).
    /// </summary>
    public static void UnpackInPlace(float[] buffer, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, buffer.Length);
        var bits = MemoryMarshal.Cast<float, ushort>(buffer.AsSpan());
        for (int i = count - 1; i >= 0; i--)
        {
            float value = ToSingle(bits[i]);
            buffer[i] = value;
        }
    }

    /// <summary>bf16 bits to fp32 values (exact).</summary>
    public static void Unpack(ReadOnlySpan<ushort> bits, Span<float> values)
    {
        if (values.Length < bits.Length) throw new ArgumentException($"destination holds {values.Length} values, source has {bits.Length}", nameof(values));
        for (int i = 0; i < bits.Length; i++) values[i] = ToSingle(bits[i]);
    }
}
