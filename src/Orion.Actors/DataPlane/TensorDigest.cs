// The digest a tensor reference carries: XXH128 of its fp32 values as little-endian bytes, lower-case hex. The
// receiver recomputes it over what arrived, so a torn, truncated or misrouted transfer is refused before anything sums
// it. It is not a MAC: tampering on the wire is mutual TLS's to stop; a cryptographic hash would cost more than the
// transfer itself (SHA-256 runs at about a third of loopback TCP's speed here), XXH128 at memory speed.
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Orion.Actors.DataPlane;

public static class TensorDigest
{
    public static string Of(ReadOnlySpan<float> values)
    {
        CheckEndianness();
        return Convert.ToHexStringLower(XxHash128.Hash(MemoryMarshal.AsBytes(values)));
    }

    /// <summary>The digest of a tensor as it travels in another format (bf16 gradients): of its bytes on the wire.</summary>
    public static string OfBytes(ReadOnlySpan<byte> bytes)
    {
        CheckEndianness();
        return Convert.ToHexStringLower(XxHash128.Hash(bytes));
    }

    private static void CheckEndianness()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the data plane's tensors are little-endian fp32");
    }

    /// <summary>
    /// The same digest, over bytes given as they arrive. A receiver hashes each piece right after the socket wrote it,
    /// while it is still in the CPU's cache, instead of reading the whole tensor (hundreds of MB) back from memory once
    /// it is complete: one pass over DRAM less per tensor received.
    /// </summary>
    public sealed class Incremental
    {
        private readonly XxHash128 _hash = new();

        public Incremental() => CheckEndianness();

        public void Append(ReadOnlySpan<byte> bytes) => _hash.Append(bytes);

        /// <summary>The digest of everything appended, in the form <see cref="Of"/> gives.</summary>
        public string Digest() => Convert.ToHexStringLower(_hash.GetCurrentHash());
    }

    /// <summary>
    /// Fills <paramref name="destination"/> from <paramref name="source"/> (fewer bytes only if the stream ends) and
    /// returns how many bytes arrived and their digest, hashing each read's bytes as soon as they land. Reads are at
    /// most <see cref="HashedReadBytes"/>, so what is hashed has not left the cache yet.
    /// </summary>
    public static async Task<(int Read, string Digest)> ReadAndHashAsync(Stream source, Memory<byte> destination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        var digest = new Incremental();
        int read = 0;
        while (read < destination.Length)
        {
            var slice = destination.Slice(read, Math.Min(HashedReadBytes, destination.Length - read));
            int n = await source.ReadAsync(slice, ct).ConfigureAwait(false);
            if (n == 0) break;
            digest.Append(slice.Span[..n]);
            read += n;
        }
        return (read, digest.Digest());
    }

    /// <summary>At most this much is read, then hashed, at a time: well inside a core's L2 cache.</summary>
    public const int HashedReadBytes = 256 * 1024;
}
