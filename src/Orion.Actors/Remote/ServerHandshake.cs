// The accepting side of the link handshake; every refusal is sent to the peer and thrown for the listener to log.
using System.Net;
using System.Security.Cryptography;

namespace Orion.Actors.Remote;

internal static class ServerHandshake
{
    public static async Task<HandshakeResult> RunAsync(Stream network, LinkOptions options, ServerCredentials? credentials,
        EndPoint? peer, CancellationToken ct)
    {
        var plain = new FrameReader(network, Handshake.MaxFrameBytes, Handshake.FrameLimitName);
        var hello = await Handshake.ReadAsync(plain, FrameKind.Hello, (reason, text) => new(reason, $"{peer} refused this node: {text}"), ct)
            .ConfigureAwait(false);
        var h = new PayloadReader(hello, "Hello");
        // Magic and version come first in every protocol version, so any two releases can refuse each other clearly.
        if (!h.Bytes(Handshake.Magic.Length, "magic").SequenceEqual(Handshake.Magic))
            throw new LinkProtocolException($"Hello frame without the \"ORNL\" magic: {peer} is not an Orion node");
        uint version = h.U32("version");
        // Nothing after the version is read from another version's Hello: its layout may differ.
        if (version != ProtocolVersion.Current)
            await RefuseAsync(network, RefusalReason.VersionMismatch,
                $"link protocol version {version} is not supported: this coordinator speaks version {ProtocolVersion.Current} (run the same Orion release on every node)", peer, ct).ConfigureAwait(false);
        bool tls = DecodeHelloTail(hello);
        string? tlsProblem = (options.Tls, tls) switch
        {
            (TlsMode.On, false) => "this coordinator requires TLS (Tls = On) but the worker connected without it (set Tls to On or Auto on the worker)",
            (TlsMode.Auto, false) when !LinkSockets.IsLoopback(peer) =>
                "this coordinator requires TLS from non-loopback peers (Tls = Auto) but the worker connected without it (set Tls to Auto or On on the worker)",
            (TlsMode.Off, true) => "this coordinator runs without TLS (Tls = Off) but the worker asked for it (use the same Tls setting on both sides)",
            _ => null,
        };
        if (tlsProblem is not null) await RefuseAsync(network, RefusalReason.TlsMismatch, tlsProblem, peer, ct).ConfigureAwait(false);
        if (tls && credentials is null) throw new InvalidOperationException("TLS requested but the listener has no certificate");
        await FrameWriter.WriteAsync(network, FrameKind.Welcome, Handshake.Welcome(ProtocolVersion.Current, tls), ct).ConfigureAwait(false);

        Stream stream = network;
        if (tls) stream = await LinkTls.AuthenticateServerAsync(network, credentials!, ct).ConfigureAwait(false);
        try
        {
            string clientName = await AuthenticateAsync(stream, options, tls ? credentials!.ChannelBinding : [], peer, ct).ConfigureAwait(false);
            return new HandshakeResult(stream, clientName, tls);
        }
        catch
        {
            if (tls) await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    static async Task<string> AuthenticateAsync(Stream stream, LinkOptions options, byte[] binding, EndPoint? peer, CancellationToken ct)
    {
        var reader = new FrameReader(stream, Handshake.MaxFrameBytes, Handshake.FrameLimitName);
        var identify = await Handshake.ReadAsync(reader, FrameKind.Identify, (reason, text) => new(reason, $"{peer} refused this node: {text}"), ct)
            .ConfigureAwait(false);
        var i = new PayloadReader(identify, "Identify");
        string clientName = i.String("node name");
        bool clientHasSecret = i.U8("has secret") != 0;
        var clientNonce = i.Bytes(Handshake.NonceBytes, "client nonce").ToArray();
        i.End();
        if (clientName.Length == 0) throw new LinkProtocolException($"Identify frame from {peer} has an empty node name");
        string who = $"worker '{clientName}' at {peer}";
        bool hasSecret = options.Secret.Length > 0;
        if (hasSecret && !clientHasSecret)
            await RefuseAsync(stream, RefusalReason.SecretMissing,
                $"this coordinator requires the cluster secret but worker '{clientName}' has none (give both the same --secret-file)", who, ct).ConfigureAwait(false);

        var serverNonce = RandomNumberGenerator.GetBytes(Handshake.NonceBytes);
        var serverProof = Handshake.Proof(options.Secret, "server", ProtocolVersion.Current, clientName, options.NodeName, clientNonce, serverNonce, binding);
        await FrameWriter.WriteAsync(stream, FrameKind.Challenge, Handshake.Challenge(options.NodeName, hasSecret, serverNonce, serverProof), ct)
            .ConfigureAwait(false);

        var proof = await Handshake.ReadAsync(reader, FrameKind.Proof, (reason, text) => new(reason, $"{who} refused this node: {text}"), ct)
            .ConfigureAwait(false);
        var expected = Handshake.Proof(options.Secret, "client", ProtocolVersion.Current, clientName, options.NodeName, clientNonce, serverNonce, binding);
        if (proof.Length != Handshake.ProofBytes || !CryptographicOperations.FixedTimeEquals(expected, proof))
            await RefuseAsync(stream, RefusalReason.WrongSecret, "wrong cluster secret (check --secret-file on both sides)", who, ct).ConfigureAwait(false);
        await FrameWriter.WriteAsync(stream, FrameKind.Accept, ReadOnlyMemory<byte>.Empty, ct).ConfigureAwait(false);
        return clientName;
    }

    static bool DecodeHelloTail(byte[] hello)
    {
        var h = new PayloadReader(hello.AsSpan(Handshake.Magic.Length + 4), "Hello");
        bool tls = h.U8("tls") != 0;
        h.End();
        return tls;
    }

    /// <summary>Tells the peer why, then throws the same text for the listener's log. Never returns.</summary>
    static async Task RefuseAsync(Stream stream, RefusalReason reason, string text, object? who, CancellationToken ct)
    {
        await Handshake.TrySendRefusalAsync(stream, reason, text, ct).ConfigureAwait(false);
        throw new LinkRefusedException(reason, $"refused {who}: {text}");
    }
}
