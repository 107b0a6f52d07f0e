// A stable target for messages to a peer that may reconnect: it posts to the current link's sender; while there is
// none (the link is down), messages are dropped and counted — the coordinator re-prepares a worker when it rejoins.
namespace Orion.Actors.Remote;

public sealed class LinkRelay<T> where T : class
{
    private LinkSender<T>? _target;
    private long _dropped;

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Retarget(LinkSender<T>? target) => Volatile.Write(ref _target, target);

    public void Post(T message)
    {
        if (Volatile.Read(ref _target) is { } t) t.Post(message);
        else Interlocked.Increment(ref _dropped);
    }
}
