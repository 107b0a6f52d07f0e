// The kinds of link frames: [u32 LE payload length][u8 kind][payload]. Handshake kinds first, then the session kinds.
namespace Orion.Actors.Remote;

internal enum FrameKind : byte
{
    // Handshake (docs/design.md "Links"): Hello/Welcome in plaintext, the rest over TLS when TLS is on.
    Hello = 1,
    Welcome = 2,
    Identify = 3,
    Challenge = 4,
    Proof = 5,
    Accept = 6,
    Refuse = 7,

    // Session: only after Accept.
    MessageStart = 16,
    TensorChunk = 17,
    Ping = 18,
    Pong = 19,
    Close = 20,
}
