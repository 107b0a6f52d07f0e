// Shared pieces of the link handshake (docs/design.md "Links"): payload layouts, the HMAC proofs and refusal frames.
using System.Security.Cryptography;
using System.Text;

namespace Orion.Actors.Remote;

/// <summary>What a completed handshake hands to the Link: the stream to use (TLS or plain) and who is on the other end.</summary>
internal sealed record HandshakeResult(Stream Stream, string RemoteName, bool Encrypted);

internal static class Handshake
{
    public static ReadOnlySpan<byte> Magic => "ORNL"u8;
    public const int NonceBytes = 32;
    public const int ProofBytes = 32;

    /// <summary>Before authentication only tiny frames are read, so an unauthenticated peer cannot make us allocate.</summary>
    public const int MaxFrameBytes = 2048;
    public const string FrameLimitName = "the handshake's frame limit";

    const int MaxRefusalTextChars = 500;

    /// <summary>HMAC-SHA256(secret, label | version | client name | server name | client nonce | server nonce | binding),
    /// every field length-prefixed so no two transcripts serialize alike. The label keeps a server proof from being
    /// replayed as a client proof; the binding (SHA-256 of the TLS certificate, or empty) keeps a man in the middle
    /// with another certificate from relaying proofs.</summary>
    public static byte[] Proof(byte[] secret, string label, int version, string clientName, string serverName,
        ReadOnlySpan<byte> clientNonce, ReadOnlySpan<byte> serverNonce, ReadOnlySpan<byte> channelBinding)
    {
        var transcript = new PayloadWriter().String(label).U32((uint)version).String(clientName).String(serverName)
            .U16((ushort)clientNonce.Length).Bytes(clientNonce).U16((ushort)serverNonce.Length).Bytes(serverNonce)
            .U16((ushort)channelBinding.Length).Bytes(channelBinding);
        return HMACSHA256.HashData(secret, transcript.Written.Span);
    }

    public static ReadOnlyMemory<byte> Hello(int version, bool tls) =>
        new PayloadWriter().Bytes(Magic).U32((uint)version).U8(tls ? (byte)1 : (byte)0).Written;

    public static ReadOnlyMemory<byte> Welcome(int version, bool tls) =>
        new PayloadWriter().U32((uint)version).U8(tls ? (byte)1 : (byte)0).Written;

    public static ReadOnlyMemory<byte> Identify(string name, bool hasSecret, ReadOnlySpan<byte> nonce) =>
        new PayloadWriter().String(name).U8(hasSecret ? (byte)1 : (byte)0).Bytes(nonce).Written;

    public static ReadOnlyMemory<byte> Challenge(string name, bool hasSecret, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> proof) =>
        new PayloadWriter().String(name).U8(hasSecret ? (byte)1 : (byte)0).Bytes(nonce).Bytes(proof).Written;

    public static ReadOnlyMemory<byte> Refuse(RefusalReason reason, string text) =>
        new PayloadWriter().U8((byte)reason).String(Sanitize(text)).Written;

    /// <summary>Reads the next handshake frame, which must be <paramref name="expected"/>. A Refuse frame becomes the
    /// exception <paramref name="refused"/> builds; the end of the stream becomes an IOException (retryable).</summary>
    public static async Task<byte[]> ReadAsync(FrameReader reader, FrameKind expected,
        Func<RefusalReason, string, LinkRefusedException> refused, CancellationToken ct)
    {
        var frame = await reader.ReadAsync(ct).ConfigureAwait(false)
            ?? throw new IOException($"the peer closed the connection during the handshake, while {expected} was expected");
        if (frame.Kind == FrameKind.Refuse)
        {
            var r = new PayloadReader(frame.Payload.Span, "Refuse");
            byte reason = r.U8("reason");
            string text = Sanitize(r.String("text"));
            throw refused(Enum.IsDefined((RefusalReason)reason) ? (RefusalReason)reason : RefusalReason.NotAnOrionPeer, text);
        }
        if (frame.Kind != expected)
            throw new LinkProtocolException($"handshake: expected a {expected} frame, got {frame.Kind} ({frame.Payload.Length} bytes)");
        return frame.Payload.ToArray();
    }

    /// <summary>Best effort: the refusal is a courtesy so the other side can log why; the connection closes either way.</summary>
    public static async Task TrySendRefusalAsync(Stream stream, RefusalReason reason, string text, CancellationToken ct)
    {
        try
        {
            await FrameWriter.WriteAsync(stream, FrameKind.Refuse, Refuse(reason, text), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or NotSupportedException)
        {
            // The peer may already be gone; our own exception carries the reason.
        }
    }

    /// <summary>A peer's text ends up in our logs and exceptions: keep it one short printable line.</summary>
    public static string Sanitize(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, MaxRefusalTextChars));
        foreach (char c in text)
        {
            if (sb.Length == MaxRefusalTextChars) break;
            sb.Append(char.IsControl(c) ? ' ' : c);
        }
        return sb.ToString();
    }
}
