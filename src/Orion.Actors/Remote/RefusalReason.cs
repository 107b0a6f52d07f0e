// Why a link handshake was refused; carried in the Refuse frame and in LinkRefusedException.Reason.
namespace Orion.Actors.Remote;

/// <summary>Why one side refused the other during the handshake. Every refusal is final: retrying cannot help.</summary>
public enum RefusalReason : byte
{
    /// <summary>The two sides hold different cluster secrets (a proof did not verify).</summary>
    WrongSecret = 1,

    /// <summary>The two sides speak different versions of the link protocol.</summary>
    VersionMismatch = 2,

    /// <summary>One side has a cluster secret and the other has none.</summary>
    SecretMissing = 3,

    /// <summary>One side requires TLS and the other connected without it (or the reverse).</summary>
    TlsMismatch = 4,

    /// <summary>The peer does not speak the Orion link protocol (wrong magic or an unexpected answer).</summary>
    NotAnOrionPeer = 5,
}
