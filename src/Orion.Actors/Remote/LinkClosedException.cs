// Thrown by Link.ReceiveAsync / SendAsync after the link failed (failure detector, malformed frame, I/O error).
namespace Orion.Actors.Remote;

/// <summary>The link is closed because something failed; <see cref="Exception.Message"/> is the close reason
/// (the same text <see cref="Link.Closed"/> completes with).</summary>
public sealed class LinkClosedException : Exception
{
    public LinkClosedException(string reason) : base(reason) { }

    public LinkClosedException(string reason, Exception inner) : base(reason, inner) { }
}
