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
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the data plane's tensors are little-endian fp32");
        return Convert.ToHexStringLower(XxHash128.Hash(MemoryMarshal.AsBytes(values)));
    }
}
