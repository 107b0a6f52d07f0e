// The hand-off point between the coordinator actor (the only writer) and the HTTP endpoints (readers on any thread).
namespace Orion.Coordinator;

public sealed class StatusBoard
{
    private ClusterStatus _current = ClusterStatus.Starting("");

    public ClusterStatus Current => Volatile.Read(ref _current);

    internal void Publish(ClusterStatus status) => Volatile.Write(ref _current, status ?? throw new ArgumentNullException(nameof(status)));
}
