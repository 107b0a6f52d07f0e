// An Akka actor that stands for a peer on the other end of a link: every message of type T it receives is handed to
// the link (LinkSender.Post or LinkRelay.Post), so local actors talk to a remote worker or coordinator as to any
// actor, and a watcher sees it terminate when the link's owner stops it.
using Akka.Actor;

namespace Orion.Actors.Remote;

public sealed class LinkProxy<T> : UntypedActor where T : class
{
    private readonly Action<T> _post;

    public LinkProxy(Action<T> post) => _post = post;

    public static Props Props(Action<T> post)
    {
        ArgumentNullException.ThrowIfNull(post);
        return Akka.Actor.Props.Create(() => new LinkProxy<T>(post));
    }

    protected override void OnReceive(object message)
    {
        if (message is T m) _post(m);
        else Unhandled(message);
    }
}
