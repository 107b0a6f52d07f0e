// The machine's measured ceilings that benchmark rates are reported against (cli-contract.md, `orion bench`).
namespace Orion.Cli.Bench;

public interface IMachineLimits
{
    /// <summary>fp32 FMA peak on all cores, GFLOP/s (one FMA = 2 flops).</summary>
    double FmaPeakGflops { get; }

    /// <summary>memcpy bandwidth on all cores, GB/s (10^9 bytes), counting bytes read + bytes written.</summary>
    double MemcpyGBps { get; }
}
