// bf16 rounding: ties to even, NaN stays NaN, overflow to infinity, and the vector path gives the scalar bits.
using Orion.Engine.Kernels;
using Xunit;

namespace Orion.Engine.Tests.Kernels;

public sealed class Bf16Tests
{
    [Theory]
    [InlineData(1.0f, 1.0f)]
    [InlineData(1.00390625f, 1.0f)]          // halfway (1 + 2^-8): to even, down
    [InlineData(1.01171875f, 1.015625f)]     // halfway (1 + 3 * 2^-8): to even, up
    [InlineData(1.0039064f, 1.0078125f)]     // just above halfway: up
    [InlineData(-2.5f, -2.5f)]
    [InlineData(0f, 0f)]
    [InlineData(3.4e38f, float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity, float.NegativeInfinity)]
    public void FromSingle_RoundsToNearestEven(float value, float expected) =>
        Assert.Equal(expected, Bf16.ToSingle(Bf16.FromSingle(value)));

    [Fact]
    public void FromSingle_NaN_StaysNaN() => Assert.True(float.IsNaN(Bf16.ToSingle(Bf16.FromSingle(BitConverter.UInt32BitsToSingle(0x7F80_0001)))));

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(4096 + 3)]
    public void RoundInPlace_EveryLength_SameBitsAsPackThenUnpack(int length)
    {
        var rng = new Random(length);
        var values = Enumerable.Range(0, length).Select(i => i % 97 == 5 ? float.NaN : BitConverter.UInt32BitsToSingle((uint)rng.NextInt64(0, uint.MaxValue))).ToArray();
        var bits = new ushort[length];
        Bf16.Pack(values, bits);
        var expected = new float[length];
        Bf16.Unpack(bits, expected);
        Bf16.RoundInPlace(values);
        Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), values.Select(BitConverter.SingleToUInt32Bits));
        var again = (float[])values.Clone();
        Bf16.RoundInPlace(again); // rounding is idempotent: a value already bf16 is left alone
        Assert.Equal(values.Select(BitConverter.SingleToUInt32Bits), again.Select(BitConverter.SingleToUInt32Bits));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(1001)]
    public void UnpackInPlace_BitsInTheFirstHalf_BecomeTheValues(int count)
    {
        var rng = new Random(count);
        var values = Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 100 - 50)).ToArray();
        var bits = new ushort[count];
        Bf16.Pack(values, bits);
        var buffer = new float[count];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(bits.AsSpan()).CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.AsSpan()));
        Bf16.UnpackInPlace(buffer, count);
        var expected = new float[count];
        Bf16.Unpack(bits, expected);
        Assert.Equal(expected, buffer);
    }
}
