// Thrown by LinkClient when the handshake is refused (by either side); never retried by ConnectWithRetryAsync.
namespace Orion.Actors.Remote;

/// <summary>The handshake was refused: wrong secret, version or TLS mismatch, or a peer that is not an Orion node.
/// Not retryable: the same configuration will be refused again.</summary>
public sealed class LinkRefusedException : Exception
{
    public LinkRefusedException(RefusalReason reason, string message) : base(message) => Reason = reason;

    public RefusalReason Reason { get; }
}
