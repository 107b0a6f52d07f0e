// Messages over real loopback links: exact fp32 bits, bf16 rounding, multi-chunk tensors, empty ones, concurrent senders.
using System.Runtime.InteropServices;
using Orion.Actors.Remote;
using Xunit;

namespace Orion.Actors.Tests.Remote;

public sealed class LinkMessageTests
{
    /// <summary>Small chunks so a few thousand floats already span many TensorChunk frames.</summary>
    static LinkOptions Small(string name, TlsMode tls = TlsMode.Off) => LinkKit.Options(name, tls) with { TensorChunkBytes = 64 };

    static float[] RandomFloats(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32)))];
    }

    static uint[] Bits(ReadOnlyMemory<float> tensor) => [.. tensor.ToArray().Select(BitConverter.SingleToUInt32Bits)];

    [Theory]
    [InlineData(TlsMode.Off)]
    [InlineData(TlsMode.On)]
    public async Task SendAsync_Fp32Tensors_ArriveBitExact(TlsMode tls)
    {
        await using var server = new TestListener(Small("coordinator", tls));
        await using var client = await server.ConnectAsync(Small("worker", tls));
        var accepted = await server.NextAcceptedAsync();
        var big = RandomFloats(1000, 1); // 4,000 bytes = 63 chunks of 64 bytes
        float[] special = [float.NaN, BitConverter.UInt32BitsToSingle(0x7FC12345), -0f, float.Epsilon, float.NegativeInfinity];

        await client.SendAsync(new WireMessage("Weights", "{\"step\":3}"u8.ToArray(), [big, special]));
        var received = await accepted.ReceiveAsync().Within();

        Assert.NotNull(received);
        Assert.Equal("Weights", received.Type);
        Assert.Equal("{\"step\":3}"u8.ToArray(), received.Header);
        Assert.Equal(Bits(big), Bits(received.Tensors[0]));
        Assert.Equal(Bits(special), Bits(received.Tensors[1]));
        Assert.True(MemoryMarshal.TryGetArray(received.Tensors[0], out var segment) && segment.Array!.Length == 1000, "received tensors are float[] of their exact length");
    }

    [Fact]
    public async Task SendAsync_Bf16Encoding_ArrivesRoundedToNearestEven()
    {
        await using var server = new TestListener(Small("coordinator"));
        await using var client = await server.ConnectAsync(Small("worker") with { Encoding = TensorEncoding.Bf16 });
        var accepted = await server.NextAcceptedAsync();
        var values = RandomFloats(777, 2).Select(v => float.IsNaN(v) ? 1.5f : v).ToArray();

        await client.SendAsync(new WireMessage("Gradients", [], [values]));
        var received = await accepted.ReceiveAsync().Within();

        var expected = values.Select(v => BitConverter.SingleToUInt32Bits(TensorWireCodec.FromBf16(TensorWireCodec.ToBf16(v)))).ToArray();
        Assert.Equal(expected, Bits(received!.Tensors[0]));
        Assert.Contains(values, v => BitConverter.SingleToUInt32Bits(v) != BitConverter.SingleToUInt32Bits(TensorWireCodec.FromBf16(TensorWireCodec.ToBf16(v))));
    }

    [Fact]
    public async Task SendAsync_EncodingPerMessage_ReceiverFollowsTheFrame()
    {
        await using var server = new TestListener(Small("coordinator"));
        await using var client = await server.ConnectAsync(Small("worker"));
        var accepted = await server.NextAcceptedAsync();
        float[] value = [1.00390625f]; // 1 + 2^-8: not representable in bf16, ties to 1.0

        await client.SendAsync(new WireMessage("A", [], [value]), TensorEncoding.Bf16);
        await client.SendAsync(new WireMessage("B", [], [value]));

        Assert.Equal(1f, (await accepted.ReceiveAsync().Within())!.Tensors[0].Span[0]);
        Assert.Equal(1.00390625f, (await accepted.ReceiveAsync().Within())!.Tensors[0].Span[0]);
    }

    [Theory]
    [InlineData(TensorEncoding.Fp32)]
    [InlineData(TensorEncoding.Bf16)]
    public async Task SendAsync_TensorOfManyDefaultChunks_ArrivesWhole(TensorEncoding encoding)
    {
        await using var server = new TestListener(LinkKit.Options("coordinator", TlsMode.On));
        await using var client = await server.ConnectAsync(LinkKit.Options("worker", TlsMode.On));
        var accepted = await server.NextAcceptedAsync();
        var tensor = RandomFloats(3_500_001, 3).Select(v => float.IsNaN(v) ? 0f : v).ToArray(); // 14 MB: 14+ chunks of 1 MiB

        await client.SendAsync(new WireMessage("Big", [], [tensor]), encoding);
        var received = (await accepted.ReceiveAsync().Within())!.Tensors[0];

        var expected = encoding == TensorEncoding.Fp32 ? tensor : [.. tensor.Select(v => TensorWireCodec.FromBf16(TensorWireCodec.ToBf16(v)))];
        Assert.Equal(Bits(expected), Bits(received));
        Assert.True(client.BytesSent >= tensor.Length * TensorWireCodec.BytesPerElement(encoding));
    }

    [Fact]
    public async Task SendAsync_NoTensorsAndEmptyTensor_RoundTrip()
    {
        await using var server = new TestListener(Small("coordinator"));
        await using var client = await server.ConnectAsync(Small("worker"));
        var accepted = await server.NextAcceptedAsync();

        await client.SendAsync(new WireMessage("NoTensors", [], []));
        await client.SendAsync(new WireMessage("EmptyTensor", [7], [Array.Empty<float>(), new float[] { 5f }, Array.Empty<float>()]));

        var first = await accepted.ReceiveAsync().Within();
        var second = await accepted.ReceiveAsync().Within();
        Assert.Equal(("NoTensors", 0), (first!.Type, first.Tensors.Count));
        Assert.Equal([0, 1, 0], second!.Tensors.Select(t => t.Length));
        Assert.Equal(5f, second.Tensors[1].Span[0]);
    }

    [Fact]
    public async Task SendAsync_SlicedCallerMemory_SendsOnlyTheSlice()
    {
        await using var server = new TestListener(Small("coordinator"));
        await using var client = await server.ConnectAsync(Small("worker"));
        var accepted = await server.NextAcceptedAsync();
        var whole = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();

        await client.SendAsync(new WireMessage("Slice", [], [whole.AsMemory(17, 40)]));

        Assert.Equal(whole[17..57], (await accepted.ReceiveAsync().Within())!.Tensors[0].ToArray());
    }

    [Fact]
    public async Task SendAsync_ConcurrentSenders_EveryMessageArrivesIntact()
    {
        await using var server = new TestListener(Small("coordinator"));
        await using var client = await server.ConnectAsync(Small("worker"));
        var accepted = await server.NextAcceptedAsync();
        const int Senders = 6, PerSender = 25;

        var sends = Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            for (int m = 0; m < PerSender; m++)
            {
                var tensor = Enumerable.Range(0, 100 + s * 37 + m).Select(i => (float)(s * 1_000_000 + m * 1_000 + i)).ToArray();
                await client.SendAsync(new WireMessage($"S{s}", BitConverter.GetBytes(m), [tensor]));
            }
        })).ToArray();
        await Task.WhenAll(sends).Within();

        var next = new int[Senders];
        for (int i = 0; i < Senders * PerSender; i++)
        {
            var message = (await accepted.ReceiveAsync().Within())!;
            int s = int.Parse(message.Type[1..]), m = BitConverter.ToInt32(message.Header);
            Assert.Equal(next[s]++, m); // one sender's messages keep their order
            var expected = Enumerable.Range(0, 100 + s * 37 + m).Select(i => (float)(s * 1_000_000 + m * 1_000 + i));
            Assert.Equal(expected, message.Tensors[0].ToArray());
        }
        Assert.All(next, n => Assert.Equal(PerSender, n));
    }

    [Fact]
    public async Task Counters_AfterAMessage_CountFrameBytesOnBothSides()
    {
        await using var server = new TestListener(Small("coordinator"));
        await using var client = await server.ConnectAsync(Small("worker"));
        var accepted = await server.NextAcceptedAsync();

        await client.SendAsync(new WireMessage("M", [], [new float[32]]));
        await accepted.ReceiveAsync().Within();

        // 32 floats = 128 bytes in two 64-byte chunks, plus the MessageStart; heartbeats may add 5-byte frames.
        Assert.True(client.BytesSent >= 128 + 2 * 5, $"sent {client.BytesSent}");
        Assert.True(accepted.BytesReceived >= 128 + 2 * 5, $"received {accepted.BytesReceived}");
    }

    [Fact]
    public async Task DisposeAsync_ByClient_PeerReceivesNullAndBothClosedCleanly()
    {
        await using var server = new TestListener(Small("coordinator"));
        var client = await server.ConnectAsync(Small("worker"));
        var accepted = await server.NextAcceptedAsync();
        await client.SendAsync(new WireMessage("Last", [], []));

        await client.DisposeAsync();

        Assert.Equal("Last", (await accepted.ReceiveAsync().Within())!.Type); // received before the goodbye: still delivered
        Assert.Null(await accepted.ReceiveAsync().Within());
        Assert.Contains("'worker' said goodbye: its application closed the link", await accepted.Closed.Within());
        Assert.Contains("closed by this node", await client.Closed.Within());
        Assert.Null(await client.ReceiveAsync().Within());
        await Assert.ThrowsAsync<LinkClosedException>(() => client.SendAsync(new WireMessage("After", [], [])));
        await server.Log.WaitForAsync("link to 'worker'", "said goodbye");
    }

    [Fact]
    public async Task SendAsync_MessageOverMaxMessageBytes_ThrowsAndKeepsTheLinkOpen()
    {
        await using var server = new TestListener(Small("coordinator"));
        await using var client = await server.ConnectAsync(Small("worker") with { MaxMessageBytes = 100 });
        var accepted = await server.NextAcceptedAsync();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(new WireMessage("Big", [], [new float[26]])));
        Assert.Contains("MaxMessageBytes", e.Message);
        await client.SendAsync(new WireMessage("Fits", [], [new float[25]]));
        Assert.Equal("Fits", (await accepted.ReceiveAsync().Within())!.Type);
    }
}
