// A snapshot of the run as GET /status shows it (issue 5, item 10): immutable, published by the coordinator actor after
// every change and read by the HTTP server without touching actor state.
using Orion.Actors.Protocol;

namespace Orion.Coordinator;

/// <summary>One Akka cluster member as the coordinator's node sees it: roles, membership status, reachability.</summary>
public sealed record ClusterMemberStatus(string Address, IReadOnlyList<string> Roles, string Status, bool Reachable);

public sealed record WorkerStatus(string Name, string Address, string State, long WeightsStep, int ShardsComputed, WorkerStats Stats, long BytesExchanged);

public sealed record ClusterStatus(
    string RunId,
    string Phase,
    string Model,
    long Step,
    long Steps,
    float? Loss,
    double TokensPerSecond,
    int Shards,
    long ReplayRemaining,
    long DegradedEvents,
    IReadOnlyList<WorkerStatus> Workers)
{
    /// <summary>The fleet's cluster members (empty in single-node mode, which has no cluster).</summary>
    public IReadOnlyList<ClusterMemberStatus> Members { get; init; } = [];

    public static ClusterStatus Starting(string runId) => new(runId, "starting", "", 0, 0, null, 0, 0, 0, 0, []);
}
