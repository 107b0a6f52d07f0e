// What a registered benchmark receives: the machine limits (for peak-/bw-fraction) and the runner that times it.
namespace Orion.Cli.Bench;

public sealed record BenchContext(IMachineLimits Limits, BenchRunner Runner);
