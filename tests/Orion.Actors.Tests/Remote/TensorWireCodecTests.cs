// Tensor chunk encodings: fp32 keeps every bit; bf16 rounds to nearest even exactly like a value-based reference.
using Orion.Actors.Remote;
using Xunit;

namespace Orion.Actors.Tests.Remote;

public sealed class TensorWireCodecTests
{
    /// <summary>Reference rounding by value: of the two bf16 neighbours of x, the nearer; on a tie the one with an even
    /// last mantissa bit. Independent of the bit trick under test.</summary>
    static float ReferenceBf16(float x)
    {
        if (float.IsNaN(x) || float.IsInfinity(x)) return x;
        uint bits = BitConverter.SingleToUInt32Bits(x);
        float down = BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000u);           // toward zero
        float up = BitConverter.UInt32BitsToSingle((bits & 0xFFFF0000u) + 0x10000u); // away from zero (may be inf)
        if ((bits & 0xFFFF) == 0) return down;
        // Past the largest finite bf16, IEEE rounds as if the next power (2^128) existed, then overflows to infinity.
        double upValue = float.IsInfinity(up) ? Math.CopySign(Math.Pow(2, 128), x) : up;
        double dDown = Math.Abs((double)x - down), dUp = Math.Abs((double)x - upValue);
        if (dDown < dUp) return down;
        if (dUp < dDown) return up;
        return ((bits >> 16) & 1) == 0 ? down : up;
    }

    [Fact]
    public void ToBf16_RandomAndTieValues_MatchesReference()
    {
        var random = new Random(1234);
        var values = new List<float> { 0f, -0f, 1f, -1f, float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon, 1e-40f, 65504f };
        for (int i = 0; i < 20_000; i++) values.Add(BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32)));
        for (int i = 0; i < 2_000; i++)
        {
            // Exact ties: low half 0x8000 with an even and an odd kept bit.
            uint hi = (uint)random.Next(0, 0x7F80) << 16;
            values.Add(BitConverter.UInt32BitsToSingle(hi | 0x8000u));
            values.Add(BitConverter.UInt32BitsToSingle(hi | 0x18000u));
        }

        foreach (float x in values.Where(v => !float.IsNaN(v)))
        {
            float expected = ReferenceBf16(x), actual = TensorWireCodec.FromBf16(TensorWireCodec.ToBf16(x));
            Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(actual),
                $"x = {x:R} (0x{BitConverter.SingleToUInt32Bits(x):X8}): expected 0x{BitConverter.SingleToUInt32Bits(expected):X8}, got 0x{BitConverter.SingleToUInt32Bits(actual):X8}");
        }
    }

    [Fact]
    public void ToBf16_SpecialValues_KeepTheirMeaning()
    {
        Assert.Equal(0x3F80, TensorWireCodec.ToBf16(1f));
        Assert.Equal(0x3F80, TensorWireCodec.ToBf16(BitConverter.UInt32BitsToSingle(0x3F808000))); // tie, even kept bit: down
        Assert.Equal(0x3F82, TensorWireCodec.ToBf16(BitConverter.UInt32BitsToSingle(0x3F818000))); // tie, odd kept bit: up
        Assert.Equal(0x7F80, TensorWireCodec.ToBf16(float.PositiveInfinity));
        Assert.Equal(0xFF80, TensorWireCodec.ToBf16(float.NegativeInfinity));
        Assert.Equal(0x7F80, TensorWireCodec.ToBf16(float.MaxValue)); // overflows to infinity, as IEEE rounding says
        Assert.Equal(0x8000, TensorWireCodec.ToBf16(-0f));
        Assert.True(float.IsNaN(TensorWireCodec.FromBf16(TensorWireCodec.ToBf16(float.NaN))));
        Assert.True(float.IsNaN(TensorWireCodec.FromBf16(TensorWireCodec.ToBf16(BitConverter.UInt32BitsToSingle(0x7F800001))))); // NaN whose payload is all in the low half
    }

    [Fact]
    public void EncodeDecode_Fp32_KeepsEveryBit()
    {
        float[] values = [0f, -0f, float.Epsilon, float.NaN, BitConverter.UInt32BitsToSingle(0x7FC12345), float.NegativeInfinity, 3.1415927f];
        var bytes = new byte[values.Length * 4];
        var back = new float[values.Length];

        TensorWireCodec.Encode(values, bytes, TensorEncoding.Fp32);
        TensorWireCodec.Decode(bytes, back, TensorEncoding.Fp32);

        Assert.Equal(values.Select(BitConverter.SingleToUInt32Bits), back.Select(BitConverter.SingleToUInt32Bits));
        Assert.Equal(BitConverter.GetBytes(3.1415927f), bytes[^4..]); // little-endian on the wire
    }
}
