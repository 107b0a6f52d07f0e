// The two benchmarks that calibrate the others: peak-fma and memcpy (cli-contract.md, `orion bench`).
// Their fractions are ~1 by construction; they show how stable the machine's ceilings are within one run.
namespace Orion.Cli.Bench;

internal static class BuiltinBenchmarks
{
    private const long FmaIterationsPerRun = 5_000_000;

    /// <summary>FMA kernel on every core; rate in GFLOP/s; peak-fraction against the separately measured peak.</summary>
    public static BenchResult PeakFma(BenchContext ctx)
    {
        int threads = Environment.ProcessorCount;
        var result = ctx.Runner.Run("peak-fma",
            check: () =>
            {
                float got = FmaKernel.Run(1000), want = FmaKernel.Reference(1000);
                if (BitConverter.SingleToInt32Bits(got) != BitConverter.SingleToInt32Bits(want))
                    throw new InvalidOperationException($"FMA kernel ({FmaKernel.Path}) gave {got:R}, scalar reference {want:R}");
            },
            measured: () => { MachineLimits.TimeFmaOnAllCores(threads, FmaIterationsPerRun); });
        double flops = threads * FmaIterationsPerRun * FmaKernel.FlopsPerIteration;
        result = result.WithRatePerRun(flops, 1e9, "GFLOP/s");
        return result.Rate is { } gflops ? result.WithPeakFraction(gflops, ctx.Limits) : result;
    }

    /// <summary>256 MiB copy on every core; rate in GB/s counting read + written bytes; bw-fraction against the measured bandwidth.</summary>
    public static BenchResult Memcpy(BenchContext ctx)
    {
        int threads = Environment.ProcessorCount;
        var src = GC.AllocateUninitializedArray<byte>((int)MachineLimits.DefaultBufferBytes);
        var dst = new byte[src.Length];
        var result = ctx.Runner.Run("memcpy",
            check: () =>
            {
                for (int i = 0; i < src.Length; i++) src[i] = (byte)(i * 31 + 7);
                MachineLimits.CopyOnAllCores(src, dst, threads);
                int bad = src.AsSpan().CommonPrefixLength(dst);
                if (bad != src.Length)
                    throw new InvalidOperationException($"copy differs at byte {bad:N0} of {src.Length:N0}");
            },
            measured: () => { MachineLimits.CopyOnAllCores(src, dst, threads); });
        result = result.WithRatePerRun(2.0 * src.Length, 1e9, "GB/s");
        return result.Rate is { } gbps ? result.WithBwFraction(gbps, ctx.Limits) : result;
    }
}
