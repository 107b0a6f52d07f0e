// Frame layer: [u32 LE length][u8 kind][payload] round trips, and every malformed header or truncation is rejected.
using Orion.Actors.Remote;
using Xunit;

namespace Orion.Actors.Tests.Remote;

public sealed class FrameCodecTests
{
    static async Task<List<Frame>> ReadAll(byte[] bytes, int maxFrameBytes = 1 << 20)
    {
        using var reader = new FrameReader(new MemoryStream(bytes), maxFrameBytes);
        var frames = new List<Frame>();
        while (await reader.ReadAsync(CancellationToken.None) is { } frame)
            frames.Add(frame with { Payload = frame.Payload.ToArray() });
        return frames;
    }

    [Fact]
    public async Task WriteAsync_ThenReadAsync_RoundTripsKindsAndPayloads()
    {
        var stream = new MemoryStream();
        int written = await FrameWriter.WriteAsync(stream, FrameKind.Ping, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        written += await FrameWriter.WriteAsync(stream, FrameKind.TensorChunk, new byte[] { 1, 2, 3, 4 }, CancellationToken.None);
        written += await FrameWriter.WriteAsync(stream, FrameKind.Close, new byte[300], CancellationToken.None);

        Assert.Equal(5 + 9 + 305, written);
        Assert.Equal([0, 0, 0, 0, (byte)FrameKind.Ping], stream.ToArray()[..5]);
        var frames = await ReadAll(stream.ToArray());
        Assert.Equal([FrameKind.Ping, FrameKind.TensorChunk, FrameKind.Close], frames.Select(f => f.Kind));
        Assert.Equal([1, 2, 3, 4], frames[1].Payload.ToArray());
        Assert.Equal(300, frames[2].Payload.Length);
    }

    [Fact]
    public async Task ReadAsync_EmptyStream_ReturnsNullAsCleanEnd()
    {
        Assert.Empty(await ReadAll([]));
    }

    [Fact]
    public async Task ReadAsync_LengthOverMaxFrameBytes_ThrowsNamingTheLimit()
    {
        byte[] bytes = [0x01, 0x00, 0x10, 0x00, (byte)FrameKind.TensorChunk]; // 1,048,577 bytes declared

        var e = await Assert.ThrowsAsync<LinkProtocolException>(() => ReadAll(bytes, maxFrameBytes: 1 << 20));
        Assert.Contains("1,048,577", e.Message);
        Assert.Contains("MaxFrameBytes", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(0x7F)]
    [InlineData(0xFF)]
    public async Task ReadAsync_UnknownKind_Throws(byte kind)
    {
        var e = await Assert.ThrowsAsync<LinkProtocolException>(() => ReadAll([0, 0, 0, 0, kind]));
        Assert.Contains($"0x{kind:X2}", e.Message);
    }

    [Theory]
    [InlineData(3)]      // inside the header
    [InlineData(5 + 2)]  // inside the payload
    public async Task ReadAsync_ConnectionEndsInsideAFrame_ThrowsTruncated(int keep)
    {
        byte[] frame = [4, 0, 0, 0, (byte)FrameKind.TensorChunk, 1, 2, 3, 4];

        var e = await Assert.ThrowsAsync<LinkProtocolException>(() => ReadAll(frame[..keep]));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void PayloadReader_ShortField_ThrowsNamingFieldAndFrame()
    {
        var e = Assert.Throws<LinkProtocolException>(() => new PayloadReader([1, 2], "Challenge").U32("server nonce"));
        Assert.Contains("Challenge", e.Message);
        Assert.Contains("server nonce", e.Message);
    }

    [Fact]
    public void PayloadReader_InvalidUtf8_Throws()
    {
        var e = Assert.Throws<LinkProtocolException>(() => new PayloadReader([2, 0, 0xC3, 0x28], "Identify").String("node name"));
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void PayloadReader_TrailingBytes_ThrowsOnEnd()
    {
        var e = Assert.Throws<LinkProtocolException>(() =>
        {
            var reader = new PayloadReader([1, 2, 3], "Welcome");
            reader.U8("tls");
            reader.End();
        });
        Assert.Contains("2 unexpected trailing bytes", e.Message);
    }
}
