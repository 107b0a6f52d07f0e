// Settings of one side of a link (frames, TLS, secret, heartbeats); validated when a listener starts or a client connects.
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Orion.Actors.Remote;

/// <summary>Options of one link endpoint. Both sides should use the same frame and message limits: a frame larger than
/// the receiver's <see cref="MaxFrameBytes"/> closes the link.</summary>
public sealed record LinkOptions
{
    /// <summary>Smallest accepted non-empty secret: shorter secrets are open to offline guessing from a recorded handshake.</summary>
    public const int MinSecretBytes = 16;

    /// <summary>This node's name, told to the peer in the handshake (1 to 255 UTF-8 bytes).</summary>
    public required string NodeName { get; init; }

    /// <summary>The cluster secret. Empty = no authentication at all, which is INSECURE and only allowed on loopback.</summary>
    public byte[] Secret { get; init; } = [];

    public TlsMode Tls { get; init; } = TlsMode.Auto;

    /// <summary>Server side: the TLS certificate. Null = an ephemeral self-signed ECDSA P-256 certificate made at start
    /// (clients accept any certificate: trust comes from the secret, which is bound to the certificate's hash).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Wire encoding of outgoing tensors; named in each MessageStart frame, so the receiver needs no setting.</summary>
    public TensorEncoding Encoding { get; init; } = TensorEncoding.Fp32;

    public int MaxFrameBytes { get; init; } = 4 << 20;

    /// <summary>Payload bytes of one outgoing tensor chunk (a multiple of 4, at most <see cref="MaxFrameBytes"/>).</summary>
    public int TensorChunkBytes { get; init; } = 1 << 20;

    /// <summary>Largest message accepted, counted as the fp32 bytes its tensors occupy once received (elements x 4).</summary>
    public long MaxMessageBytes { get; init; } = 4L << 30;

    /// <summary>A Ping is sent when nothing was sent for this long.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Nothing received for this long closes the link as failed.</summary>
    public TimeSpan FailureTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Limit on connect + the whole handshake; silent peers are closed after it.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Checks every field; throws ArgumentException naming the option, its value, what is expected and a hint.</summary>
    internal void Validate()
    {
        int nameBytes = NodeName is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(NodeName);
        if (nameBytes is < 1 or > 255)
            throw Invalid(nameof(NodeName), $"'{NodeName}' ({nameBytes} UTF-8 bytes)", "1 to 255 UTF-8 bytes", "name nodes like 'coordinator' or 'mac-studio-2'");
        if (Secret is null || (Secret.Length > 0 && Secret.Length < MinSecretBytes))
            throw Invalid(nameof(Secret), $"{Secret?.Length ?? 0} bytes", $"empty (loopback only) or at least {MinSecretBytes} bytes",
                "generate one with `head -c 32 /dev/urandom > cluster.secret` and give the same file to every node");
        if (!Enum.IsDefined(Tls)) throw Invalid(nameof(Tls), Tls.ToString(), "Auto, On or Off", "leave it at Auto");
        if (!Enum.IsDefined(Encoding)) throw Invalid(nameof(Encoding), Encoding.ToString(), "Fp32 or Bf16", "use Fp32 for exact values");
        if (MaxFrameBytes is < 1024 or > (1 << 30))
            throw Invalid(nameof(MaxFrameBytes), $"{MaxFrameBytes:N0}", "1,024 to 1,073,741,824", "the default is 4 MiB");
        if (TensorChunkBytes < 4 || TensorChunkBytes % 4 != 0 || TensorChunkBytes > MaxFrameBytes)
            throw Invalid(nameof(TensorChunkBytes), $"{TensorChunkBytes:N0}", $"a positive multiple of 4 at most MaxFrameBytes ({MaxFrameBytes:N0})", "the default is 1 MiB");
        if (MaxMessageBytes < 0) throw Invalid(nameof(MaxMessageBytes), $"{MaxMessageBytes:N0}", "0 or more", "the default is 4 GiB");
        if (HeartbeatInterval <= TimeSpan.Zero)
            throw Invalid(nameof(HeartbeatInterval), HeartbeatInterval.ToString(), "positive", "the default is 1 s");
        if (FailureTimeout < 2 * HeartbeatInterval)
            throw Invalid(nameof(FailureTimeout), FailureTimeout.ToString(), $"at least twice HeartbeatInterval ({HeartbeatInterval})",
                "a peer must be able to miss a heartbeat without being declared dead; the default is 15 s");
        if (HandshakeTimeout <= TimeSpan.Zero)
            throw Invalid(nameof(HandshakeTimeout), HandshakeTimeout.ToString(), "positive", "the default is 15 s");
    }

    /// <summary>An empty secret means anyone who can connect is trusted: refuse it unless the peer is this machine.</summary>
    internal void RequireSecretUnlessLoopback(EndPoint? endPoint, string where)
    {
        if (Secret.Length > 0 || (endPoint is IPEndPoint ip && LinkSockets.IsLoopback(ip.Address))) return;
        throw new InvalidOperationException(
            $"{where}: LinkOptions.Secret is empty, which is only allowed on loopback, but the address is {endPoint} " +
            "(give every node the same cluster secret, e.g. --secret-file cluster.secret)");
    }

    static ArgumentException Invalid(string option, string value, string expected, string hint) =>
        new($"LinkOptions.{option} is {value}; expected {expected} ({hint})", option);
}
