// A stable ActorRef for an actor whose peer may reconnect: it forwards to the current target; while there is none
// (the link is down), messages are dropped and counted — the coordinator re-prepares a worker when it rejoins.
using Orion.Actors;

namespace Orion.Worker.Remote;

public sealed class RelayRef<T>(string path) : ActorRef<T> where T : class
{
    private ActorRef<T>? _target;
    private long _dropped;

    public override string Path { get; } = path;
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Retarget(ActorRef<T>? target) => Volatile.Write(ref _target, target);

    public override void Tell(T message)
    {
        if (Volatile.Read(ref _target) is { } t) t.Tell(message);
        else Interlocked.Increment(ref _dropped);
    }
}
