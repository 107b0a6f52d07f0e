// Receive-side message assembly: MessageStart + chunks -> WireMessage, and every out-of-order or oversized frame rejected.
using System.Buffers.Binary;
using Orion.Actors.Remote;
using Xunit;

namespace Orion.Actors.Tests.Remote;

public sealed class MessageAssemblerTests
{
    static readonly LinkOptions Options = LinkKit.Options("test");

    static byte[] Start(string type, byte[] header, params float[][] tensors) =>
        MessageStartFrame.Encode(new WireMessage(type, header, [.. tensors.Select(t => (ReadOnlyMemory<float>)t)]), TensorEncoding.Fp32, Options).ToArray();

    static byte[] Fp32(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        TensorWireCodec.Encode(values, bytes, TensorEncoding.Fp32);
        return bytes;
    }

    [Fact]
    public void MessageStartFrame_EncodeDecode_RoundTrips()
    {
        var decoded = MessageStartFrame.Decode(Start("GradientsReady", [1, 2, 3], new float[5], [], new float[1]));

        Assert.Equal("GradientsReady", decoded.Type);
        Assert.Equal([1, 2, 3], decoded.Header);
        Assert.Equal([5L, 0L, 1L], decoded.Tensors.Select(t => t.Elements));
        Assert.All(decoded.Tensors, t => Assert.Equal(TensorEncoding.Fp32, t.Encoding));
    }

    [Fact]
    public void OnMessageStart_NoTensors_DeliversAtOnce()
    {
        var message = new MessageAssembler(1 << 20).OnMessageStart(Start("Hello", [42]));

        Assert.NotNull(message);
        Assert.Equal("Hello", message.Type);
        Assert.Empty(message.Tensors);
    }

    [Fact]
    public void OnTensorChunk_ChunksAcrossTensors_FillInOrderSkippingEmptyOnes()
    {
        var assembler = new MessageAssembler(1 << 20);
        Assert.Null(assembler.OnMessageStart(Start("M", [], new float[3], [], new float[2])));
        Assert.Null(assembler.OnTensorChunk(Fp32(1, 2)));
        Assert.Null(assembler.OnTensorChunk(Fp32(3)));
        var message = assembler.OnTensorChunk(Fp32(4, 5));

        Assert.NotNull(message);
        Assert.Equal([1f, 2f, 3f], message.Tensors[0].ToArray());
        Assert.Equal(0, message.Tensors[1].Length);
        Assert.Equal([4f, 5f], message.Tensors[2].ToArray());
        Assert.False(assembler.InProgress);
    }

    [Fact]
    public void OnTensorChunk_WithoutMessageStart_Throws()
    {
        var e = Assert.Throws<LinkProtocolException>(() => new MessageAssembler(1 << 20).OnTensorChunk(Fp32(1)));
        Assert.Contains("without a MessageStart", e.Message);
    }

    [Fact]
    public void OnTensorChunk_MoreElementsThanTheTensorHasLeft_Throws()
    {
        var assembler = new MessageAssembler(1 << 20);
        assembler.OnMessageStart(Start("M", [], new float[3], new float[10]));
        assembler.OnTensorChunk(Fp32(1, 2));

        var e = Assert.Throws<LinkProtocolException>(() => assembler.OnTensorChunk(Fp32(3, 4)));
        Assert.Contains("overflows tensor 0", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void OnTensorChunk_NotAWholeNumberOfElements_Throws(int bytes)
    {
        var assembler = new MessageAssembler(1 << 20);
        assembler.OnMessageStart(Start("M", [], new float[3]));

        var e = Assert.Throws<LinkProtocolException>(() => assembler.OnTensorChunk(new byte[bytes]));
        Assert.Contains("multiple of 4", e.Message);
    }

    [Fact]
    public void OnMessageStart_WhilePreviousIncomplete_Throws()
    {
        var assembler = new MessageAssembler(1 << 20);
        assembler.OnMessageStart(Start("First", [], new float[3]));

        var e = Assert.Throws<LinkProtocolException>(() => assembler.OnMessageStart(Start("Second", [])));
        Assert.Contains("'First'", e.Message);
    }

    [Fact]
    public void OnMessageStart_DeclaredBytesOverMaxMessageBytes_ThrowsBeforeAllocating()
    {
        var payload = Start("Huge", [], new float[1]);
        BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(payload.Length - 9), 1L << 29); // 2 GiB as fp32

        var e = Assert.Throws<LinkProtocolException>(() => new MessageAssembler(1L << 30).OnMessageStart(payload));
        Assert.Contains("MaxMessageBytes", e.Message);
    }

    [Fact]
    public void Decode_ElementCountBeyondArrayLimit_Throws()
    {
        var payload = Start("Huge", [], new float[1]);
        BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(payload.Length - 9), ulong.MaxValue);

        Assert.Throws<LinkProtocolException>(() => new MessageAssembler(long.MaxValue).OnMessageStart(payload));
    }

    [Fact]
    public void Decode_UnknownEncodingOrTrailingBytes_Throws()
    {
        var unknownEncoding = Start("M", [], new float[1]);
        unknownEncoding[^1] = 9;
        Assert.Contains("unknown encoding", Assert.Throws<LinkProtocolException>(() => MessageStartFrame.Decode(unknownEncoding)).Message);
        Assert.Contains("trailing", Assert.Throws<LinkProtocolException>(() => MessageStartFrame.Decode([.. Start("M", []), 0])).Message);
    }

    [Fact]
    public void Encode_HeaderTooLargeForAFrame_ThrowsArgumentException()
    {
        var small = Options with { MaxFrameBytes = 1024, TensorChunkBytes = 1024 };
        var e = Assert.Throws<ArgumentException>(() => MessageStartFrame.Encode(new WireMessage("M", new byte[2000], []), TensorEncoding.Fp32, small));
        Assert.Contains("MaxFrameBytes", e.Message);
    }

    [Fact]
    public void Assembler_RandomFrames_OnlyEverThrowsProtocolErrors()
    {
        var random = new Random(99);
        var assembler = new MessageAssembler(1 << 16);
        int rejected = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var payload = new byte[random.Next(0, 64)];
            random.NextBytes(payload);
            if (random.Next(4) == 0 && payload.Length >= 3) payload[2] = 0; // sometimes a plausible short type
            try
            {
                if (random.Next(2) == 0) assembler.OnMessageStart(payload);
                else assembler.OnTensorChunk(payload);
            }
            catch (LinkProtocolException)
            {
                rejected++;
                assembler = new MessageAssembler(1 << 16); // a link closes on the first one; start afresh
            }
        }
        Assert.True(rejected > 0);
    }
}
