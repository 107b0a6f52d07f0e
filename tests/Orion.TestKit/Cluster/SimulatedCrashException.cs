// Thrown by the harness from the coordinator's Progress callback to play a crash right after a step is journaled
// (before its checkpoint and before the weights go out): the "kill -9 after the journal append" crash point.
namespace Orion.TestKit.Cluster;

public sealed class SimulatedCrashException(long step)
    : Exception($"simulated crash after step {step} was journaled (ClusterHarnessOptions.CrashAfterStep)")
{
    public long Step { get; } = step;
}
