// The incremental digest the data plane computes while a tensor arrives must be exactly the one-pass digest the
// sender put in the reference, however the bytes were split by the network; a stream that ends early is reported
// by its count, with the digest of what did arrive.
using System.Runtime.InteropServices;
using Orion.Actors.DataPlane;
using Xunit;

namespace Orion.Actors.Tests.DataPlane;

public sealed class TensorDigestTests
{
    private static float[] Values(int count)
    {
        var v = new float[count];
        for (int i = 0; i < v.Length; i++) v[i] = (i * 37 % 1001) * 0.01f - 5f;
        return v;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(65_537)]
    public void Incremental_AnySplit_EqualsOneShot(int piece)
    {
        var values = Values(300_001);
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        var digest = new TensorDigest.Incremental();

        for (int offset = 0; offset < bytes.Length; offset += piece)
            digest.Append(bytes.Slice(offset, Math.Min(piece, bytes.Length - offset)));

        Assert.Equal(TensorDigest.Of(values), digest.Digest());
    }

    [Fact]
    public async Task ReadAndHash_StreamInSmallReads_FillsDestinationAndDigestsIt()
    {
        var values = Values(200_000);
        using var source = new TrickleStream(MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), maxRead: 1_000);
        var received = new float[values.Length];

        var (read, digest) = await TensorDigest.ReadAndHashAsync(source, new FloatBytes(received).Memory, CancellationToken.None);

        Assert.Equal(values.Length * sizeof(float), read);
        Assert.Equal(values, received);
        Assert.Equal(TensorDigest.Of(values), digest);
    }

    [Fact]
    public async Task ReadAndHash_StreamEndsEarly_ReturnsWhatArrived()
    {
        var values = Values(1_000);
        using var source = new MemoryStream(MemoryMarshal.AsBytes(values.AsSpan(0, 600)).ToArray());

        var (read, digest) = await TensorDigest.ReadAndHashAsync(source, new FloatBytes(new float[values.Length]).Memory, CancellationToken.None);

        Assert.Equal(600 * sizeof(float), read);
        Assert.Equal(TensorDigest.Of(values.AsSpan(0, 600)), digest);
    }

    /// <summary>Hands out at most <c>maxRead</c> bytes per read, as a socket under load does.</summary>
    private sealed class TrickleStream(byte[] data, int maxRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, maxRead)], cancellationToken);
    }
}
