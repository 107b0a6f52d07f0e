// Whether a link runs over TLS; see LinkOptions.Tls and docs/design.md "Links".
namespace Orion.Actors.Remote;

/// <summary>TLS policy of one side of a link. Both sides must agree, or the handshake refuses with <see cref="RefusalReason.TlsMismatch"/>.</summary>
public enum TlsMode
{
    /// <summary>TLS unless the peer is on a loopback address (decided per connection from the socket's endpoints).</summary>
    Auto,

    /// <summary>Always TLS.</summary>
    On,

    /// <summary>Never TLS: plaintext frames (the cluster secret still authenticates both sides).</summary>
    Off,
}
