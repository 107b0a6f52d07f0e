// `fp16-convert`: bulk fp32 -> fp16 -> fp32 round trip with Orion.Engine.Kernels.Fp16Convert (cli-contract.md, `orion bench`).
// Reference: the scalar definition in Orion.Engine.Tensors.Fp16, bit for bit, on a slice that includes the edge cases.
using Orion.Engine.Kernels;
using Orion.Engine.Tensors;

namespace Orion.Cli.Bench;

public sealed record Fp16ConvertSize(int Elements = 16 << 20, int CheckedElements = 1 << 16)
{
    public static Fp16ConvertSize Default { get; } = new();

    /// <summary>Conversions per run: every element once in each direction.</summary>
    public double ConversionsPerRun => 2.0 * Elements;

    /// <summary>Bytes per run: each conversion reads one side and writes the other (4 + 2 bytes).</summary>
    public double BytesPerRun => ConversionsPerRun * (sizeof(float) + sizeof(ushort));
}

/// <summary>
/// One timed run = <see cref="Fp16Convert.FromSingle"/> over all elements, then <see cref="Fp16Convert.ToSingle"/> back,
/// on one thread (as the emulator calls them). rate = conversions per second (Gelem/s, both directions counted);
/// bw-fraction = 6 bytes per conversion per second over the all-core memcpy bandwidth (read + write counted there too).
/// </summary>
public static class Fp16ConvertBench
{
    public static BenchResult Run(BenchContext ctx) => Run(ctx, Fp16ConvertSize.Default, "fp16-convert");

    public static BenchResult Run(BenchContext ctx, Fp16ConvertSize size, string name)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(size);
        var src = BenchData.Uniform(size.Elements, 21, 70000f); // spans overflow (saturates), normals and tiny values
        float[] edges = [0f, -0f, 1f, -1f, 65504f, 65519.99f, 65520f, -70000f, float.PositiveInfinity, float.NegativeInfinity,
            float.NaN, 6.1035156e-5f, 6.0e-5f, 5.9604645e-8f, 2.9802322e-8f, 2.9802326e-8f, 1e-9f, 1.00048828125f, 1.00146484375f];
        edges.AsSpan(0, Math.Min(edges.Length, src.Length)).CopyTo(src);
        for (int i = edges.Length; i < Math.Min(src.Length, 4096); i++) src[i] *= 1e-6f; // subnormal range of fp16
        var half = new ushort[size.Elements];
        var back = new float[size.Elements];
        var result = ctx.Runner.Run(name,
            check: () =>
            {
                Fp16Convert.FromSingle(src, half);
                Fp16Convert.ToSingle(half, back);
                Check(src, half, back, Math.Min(size.CheckedElements, src.Length));
            },
            measured: () =>
            {
                Fp16Convert.FromSingle(src, half);
                Fp16Convert.ToSingle(half, back);
            });
        result = result.WithRatePerRun(size.ConversionsPerRun, 1e9, "Gelem/s");
        return result.Failed ? result : result.WithBwFraction(size.BytesPerRun / result.MedianSeconds / 1e9, ctx.Limits);
    }

    private static void Check(float[] src, ushort[] half, float[] back, int count)
    {
        // The first slice plus the last elements (the SIMD paths' scalar tails).
        var indices = Enumerable.Range(0, count).Concat(Enumerable.Range(Math.Max(count, src.Length - 17), Math.Min(17, src.Length - count)));
        foreach (int i in indices)
        {
            ushort want = Fp16.FromSingle(src[i]);
            if (half[i] != want)
                throw new InvalidOperationException($"FromSingle({src[i]:R}) at [{i}] gave 0x{half[i]:X4}, scalar Fp16 definition 0x{want:X4}");
            float wantBack = Fp16.ToSingle(half[i]);
            if (BitConverter.SingleToInt32Bits(back[i]) != BitConverter.SingleToInt32Bits(wantBack))
                throw new InvalidOperationException($"ToSingle(0x{half[i]:X4}) at [{i}] gave {back[i]:R}, scalar Fp16 definition {wantBack:R}");
        }
    }
}
