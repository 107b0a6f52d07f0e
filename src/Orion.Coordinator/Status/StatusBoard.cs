// The hand-off point between the writers (the coordinator actor for the run, the fleet's membership actor for the
// cluster's members) and the HTTP endpoints (readers on any thread). Each writer owns its part.
namespace Orion.Coordinator;

public sealed class StatusBoard
{
    private ClusterStatus _current = ClusterStatus.Starting("");

    private IReadOnlyList<ClusterMemberStatus> _members = [];

    public ClusterStatus Current => Volatile.Read(ref _current) with { Members = Volatile.Read(ref _members) };

    internal void PublishMembers(IReadOnlyList<ClusterMemberStatus> members) => Volatile.Write(ref _members, members ?? throw new ArgumentNullException(nameof(members)));

    internal void Publish(ClusterStatus status) => Volatile.Write(ref _current, status ?? throw new ArgumentNullException(nameof(status)));
}
