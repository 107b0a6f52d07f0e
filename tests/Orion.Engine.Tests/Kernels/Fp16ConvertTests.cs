// Fp16Convert's SIMD paths against the scalar definition (Tensors.Fp16): all 65536 fp16 patterns, and random plus edge floats.
using Orion.Engine.Kernels;
using Orion.Engine.Tensors;
using Xunit;

namespace Orion.Engine.Tests.Kernels;

public class Fp16ConvertTests
{
    private static bool Same(float a, float b) => float.IsNaN(a) ? float.IsNaN(b) : BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b);

    [Fact]
    public void ToSingle_All65536Patterns_MatchScalar()
    {
        var src = Enumerable.Range(0, 65536).Select(i => (ushort)i).ToArray();
        var fast = new float[src.Length];
        var slow = new float[src.Length];
        Fp16Convert.ToSingle(src, fast);
        Fp16Convert.ToSingleReference(src, slow);
        for (int i = 0; i < src.Length; i++)
            if (!Same(slow[i], fast[i])) Assert.Fail($"0x{i:X4}: expected {slow[i]}, got {fast[i]}");
    }

    private static float[] EdgeAndRandomFloats()
    {
        var list = new List<float>
        {
            0f, -0f, 1f, -1f, 65504f, -65504f, 65519f, 65519.996f, 65520f, -65520f, 65536f, 1e10f, float.MaxValue,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, -float.NaN, float.Epsilon, -float.Epsilon,
            MathF.Pow(2, -14), MathF.Pow(2, -24), MathF.Pow(2, -25), MathF.Pow(2, -25) * 1.0001f, MathF.Pow(2, -26),
            3 * MathF.Pow(2, -25), 5 * MathF.Pow(2, -25), MathF.Pow(2, -14) - MathF.Pow(2, -25), 1 + MathF.Pow(2, -11), 1 + 3 * MathF.Pow(2, -11),
            2049f, 2051f, 4097f,
        };
        // Every fp16 value, and the ties and near-ties between neighbours.
        for (int h = 0; h < 0x7C00; h++)
        {
            float v = Fp16.ToSingle((ushort)h), next = Fp16.ToSingle((ushort)(h + 1));
            float mid = (v + next) / 2;
            list.AddRange([v, -v, mid, -mid, BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(mid) + 1), BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(mid) - 1)]);
        }
        var r = new Random(42);
        for (int i = 0; i < 200_000; i++) list.Add(BitConverter.Int32BitsToSingle(r.Next(int.MinValue, int.MaxValue)));
        for (int i = 0; i < 100_000; i++) list.Add((float)((r.NextDouble() - 0.5) * Math.Pow(2, r.Next(-30, 20))));
        return [.. list];
    }

    [Fact]
    public void FromSingle_EdgeAndRandom_MatchScalar()
    {
        var src = EdgeAndRandomFloats();
        var fast = new ushort[src.Length];
        var slow = new ushort[src.Length];
        Fp16Convert.FromSingle(src, fast);
        Fp16Convert.FromSingleReference(src, slow);
        for (int i = 0; i < src.Length; i++)
            if (slow[i] != fast[i]) Assert.Fail($"{src[i]:R} (0x{BitConverter.SingleToInt32Bits(src[i]):X8}): expected 0x{slow[i]:X4}, got 0x{fast[i]:X4}");
    }

    [Fact]
    public void RoundInPlace_EdgeAndRandom_MatchScalar()
    {
        var fast = EdgeAndRandomFloats();
        var slow = (float[])fast.Clone();
        var original = (float[])fast.Clone();
        Fp16Convert.RoundInPlace(fast);
        Fp16Convert.RoundInPlaceReference(slow);
        for (int i = 0; i < fast.Length; i++)
            if (!Same(slow[i], fast[i])) Assert.Fail($"{original[i]:R}: expected {slow[i]:R}, got {fast[i]:R}");
    }

    [Fact]
    public void RoundInPlace_Boundaries_SaturateAndTieToEven()
    {
        float[] v = [65520f, float.PositiveInfinity, -1e9f, 1 + MathF.Pow(2, -11), 1 + 3 * MathF.Pow(2, -11)];
        Fp16Convert.RoundInPlace(v);
        Assert.Equal([65504f, 65504f, -65504f, 1f, 1 + MathF.Pow(2, -9)], v);
    }
}
