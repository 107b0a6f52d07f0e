// The connecting side of the link handshake: Hello -> Welcome -> [TLS] -> Identify -> Challenge (verify) -> Proof -> Accept.
using System.Security.Cryptography;

namespace Orion.Actors.Remote;

internal static class ClientHandshake
{
    /// <summary>Runs the handshake on a connected stream. Refusals (either side's) throw LinkRefusedException;
    /// a dropped connection throws IOException. <paramref name="version"/> is a test seam for version mismatches.</summary>
    public static async Task<HandshakeResult> RunAsync(Stream network, string host, int port, LinkOptions options,
        bool peerIsLoopback, CancellationToken ct, int version = ProtocolVersion.Current)
    {
        string peer = $"the coordinator at {host}:{port}";
        LinkRefusedException Refused(RefusalReason reason, string text) =>
            new(reason, $"{peer} refused worker '{options.NodeName}': {text}");
        try
        {
            bool tls = options.Tls switch { TlsMode.On => true, TlsMode.Off => false, _ => !peerIsLoopback };
            await FrameWriter.WriteAsync(network, FrameKind.Hello, Handshake.Hello(version, tls), ct).ConfigureAwait(false);
            var plain = new FrameReader(network, Handshake.MaxFrameBytes, Handshake.FrameLimitName);
            var welcome = await Handshake.ReadAsync(plain, FrameKind.Welcome, Refused, ct).ConfigureAwait(false);
            var w = new PayloadReader(welcome, "Welcome");
            uint serverVersion = w.U32("version");
            bool serverTls = w.U8("tls") != 0;
            w.End();
            if (serverVersion != version)
                throw new LinkRefusedException(RefusalReason.VersionMismatch,
                    $"{peer} speaks link protocol version {serverVersion}, this worker {version} (run the same Orion release on every node)");
            if (serverTls != tls)
                throw new LinkRefusedException(RefusalReason.TlsMismatch,
                    $"{peer} answered with TLS {(serverTls ? "on" : "off")} but this worker asked for TLS {(tls ? "on" : "off")} (a proxy in between, or not an Orion coordinator)");

            Stream stream = network;
            byte[] binding = [];
            if (tls) (stream, binding) = await LinkTls.AuthenticateClientAsync(network, host, ct).ConfigureAwait(false);
            try
            {
                string serverName = await AuthenticateAsync(stream, peer, options, binding, version, Refused, ct).ConfigureAwait(false);
                return new HandshakeResult(stream, serverName, tls);
            }
            catch
            {
                if (tls) await stream.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch (LinkProtocolException e)
        {
            // Garbage where a handshake frame belongs: another service on that port. Retrying would get the same.
            throw new LinkRefusedException(RefusalReason.NotAnOrionPeer, $"{peer} is not an Orion link endpoint: {e.Message} (check the host and port)");
        }
    }

    static async Task<string> AuthenticateAsync(Stream stream, string peer, LinkOptions options, byte[] binding, int version,
        Func<RefusalReason, string, LinkRefusedException> refused, CancellationToken ct)
    {
        var clientNonce = RandomNumberGenerator.GetBytes(Handshake.NonceBytes);
        bool hasSecret = options.Secret.Length > 0;
        await FrameWriter.WriteAsync(stream, FrameKind.Identify, Handshake.Identify(options.NodeName, hasSecret, clientNonce), ct).ConfigureAwait(false);

        var reader = new FrameReader(stream, Handshake.MaxFrameBytes, Handshake.FrameLimitName);
        var challenge = await Handshake.ReadAsync(reader, FrameKind.Challenge, refused, ct).ConfigureAwait(false);
        var c = new PayloadReader(challenge, "Challenge");
        string serverName = c.String("node name");
        bool serverHasSecret = c.U8("has secret") != 0;
        var serverNonce = c.Bytes(Handshake.NonceBytes, "server nonce").ToArray();
        var serverProof = c.Bytes(Handshake.ProofBytes, "server proof").ToArray();
        c.End();

        // The server proves itself first, so a fake coordinator learns nothing from this worker's proof.
        if (hasSecret && !serverHasSecret)
        {
            await Handshake.TrySendRefusalAsync(stream, RefusalReason.SecretMissing,
                "it has a cluster secret but this coordinator has none (give both the same --secret-file)", ct).ConfigureAwait(false);
            throw new LinkRefusedException(RefusalReason.SecretMissing,
                $"worker '{options.NodeName}' refused {peer} ('{serverName}'): it runs without a cluster secret, but this worker has one (give both the same --secret-file)");
        }
        var expected = Handshake.Proof(options.Secret, "server", version, options.NodeName, serverName, clientNonce, serverNonce, binding);
        if (!CryptographicOperations.FixedTimeEquals(expected, serverProof))
        {
            await Handshake.TrySendRefusalAsync(stream, RefusalReason.WrongSecret,
                "it could not verify this coordinator's proof: wrong cluster secret (check --secret-file on both sides)", ct).ConfigureAwait(false);
            throw new LinkRefusedException(RefusalReason.WrongSecret,
                $"worker '{options.NodeName}' refused {peer} ('{serverName}'): wrong cluster secret (check --secret-file on both sides); " +
                "the coordinator could not prove it holds this worker's secret, so the worker kept its own proof");
        }

        var proof = Handshake.Proof(options.Secret, "client", version, options.NodeName, serverName, clientNonce, serverNonce, binding);
        await FrameWriter.WriteAsync(stream, FrameKind.Proof, proof, ct).ConfigureAwait(false);
        var accept = await Handshake.ReadAsync(reader, FrameKind.Accept, refused, ct).ConfigureAwait(false);
        new PayloadReader(accept, "Accept").End();
        return serverName;
    }
}
