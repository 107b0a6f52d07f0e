// The version of the link protocol (frames + handshake) exchanged in the Hello frame; both sides must match exactly.
namespace Orion.Actors.Remote;

/// <summary>Version of the link wire protocol. Bump it when any frame layout changes; the Hello frame's
/// first 8 payload bytes (magic "ORNL" + this number) must never change, so old and new nodes can refuse each other clearly.</summary>
public static class ProtocolVersion
{
    public const int Current = 1;
}
