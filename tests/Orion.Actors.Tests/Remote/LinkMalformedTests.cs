// Hostile or broken peers on real loopback sockets: every malformed frame closes only that link, with a logged reason,
// and the listener goes on serving a good peer.
using System.Buffers.Binary;
using Orion.Actors.Remote;
using Xunit;

namespace Orion.Actors.Tests.Remote;

public sealed class LinkMalformedTests
{
    static readonly LinkOptions ServerOptions = LinkKit.Options("coordinator") with { MaxFrameBytes = 4096, TensorChunkBytes = 1024 };

    static byte[] Header(uint length, byte kind)
    {
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32LittleEndian(header, length);
        header[4] = kind;
        return header;
    }

    static byte[] Frame(FrameKind kind, byte[] payload) => [.. Header((uint)payload.Length, (byte)kind), .. payload];

    static byte[] StartOf(params int[] tensorLengths) => MessageStartFrame.Encode(
        new WireMessage("M", [], [.. tensorLengths.Select(n => (ReadOnlyMemory<float>)new float[n])]), TensorEncoding.Fp32, ServerOptions).ToArray();

    public static TheoryData<string, string> Cases => new()
    {
        { "oversized length", "exceeds the limit of 4,096" },
        { "unknown kind", "unknown frame kind 0x63" },
        { "chunk without start", "without a MessageStart" },
        { "chunk overflow", "overflows tensor 0" },
        { "start before previous complete", "before the previous message was complete" },
        { "handshake frame after handshake", "Hello frame after the handshake" },
        { "truncated then hang up", "truncated" },
        { "hang up inside a message", "in the middle of a message" },
    };

    static byte[] BytesFor(string name) => name switch
    {
        "oversized length" => Header(4097, (byte)FrameKind.TensorChunk),
        "unknown kind" => Header(0, 0x63),
        "chunk without start" => Frame(FrameKind.TensorChunk, new byte[8]),
        "chunk overflow" => [.. Frame(FrameKind.MessageStart, StartOf(2)), .. Frame(FrameKind.TensorChunk, new byte[12])],
        "start before previous complete" => [.. Frame(FrameKind.MessageStart, StartOf(2)), .. Frame(FrameKind.MessageStart, StartOf(0))],
        "handshake frame after handshake" => Frame(FrameKind.Hello, Handshake.Hello(1, false).ToArray()),
        "truncated then hang up" => [.. Header(100, (byte)FrameKind.TensorChunk), .. new byte[10]],
        "hang up inside a message" => [.. Frame(FrameKind.MessageStart, StartOf(4)), .. Frame(FrameKind.TensorChunk, new byte[4])],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Link_MalformedInput_ClosesThatLinkWithReasonAndListenerServesOthers(string name, string reason)
    {
        await using var server = new TestListener(ServerOptions);
        await using (var raw = await RawPeer.AuthenticatedAsync(server.Port, LinkKit.Options("mallory")))
        {
            var victim = await server.NextAcceptedAsync();

            await raw.WriteAsync(BytesFor(name));
            if (name.Contains("hang up", StringComparison.Ordinal)) raw.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

            Assert.Contains(reason, await victim.Closed.Within());
            await Assert.ThrowsAsync<LinkClosedException>(() => victim.ReceiveAsync().Within());
            await server.Log.WaitForAsync("link to 'mallory'", "closed", reason);
            Assert.Equal(0, await raw.ReadToEndAsync()); // and we hung up on it
        }

        await AssertServesAGoodPeer(server);
    }

    [Fact]
    public async Task Link_RandomGarbageAfterHandshake_ClosesEveryTimeAndListenerServesOthers()
    {
        await using var server = new TestListener(ServerOptions);
        for (int seed = 0; seed < 8; seed++)
        {
            var garbage = new byte[1 + seed * 97];
            new Random(seed).NextBytes(garbage);
            await using var raw = await RawPeer.AuthenticatedAsync(server.Port, LinkKit.Options($"fuzz{seed}"));
            var victim = await server.NextAcceptedAsync();

            await raw.WriteAsync(garbage);
            raw.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send); // so garbage that happens to parse still ends

            string closed = await victim.Closed.Within();
            Assert.DoesNotContain("said goodbye", closed); // never mistaken for a clean goodbye
            await Assert.ThrowsAsync<LinkClosedException>(() => victim.ReceiveAsync().Within());
        }
        await AssertServesAGoodPeer(server);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Listener_GarbageInsteadOfHandshake_LogsAndServesOthers(int seed)
    {
        await using var server = new TestListener(ServerOptions);
        await using (var raw = await RawPeer.ConnectAsync(server.Port))
        {
            var garbage = new byte[64];
            new Random(seed).NextBytes(garbage);
            if (seed == 2) garbage = Frame(FrameKind.Hello, "XXXX\u0001\0\0\0\0"u8.ToArray()); // a well-formed frame with the wrong magic

            await raw.WriteAsync(garbage);

            Assert.Equal(0, await raw.ReadToEndAsync());
            await server.Log.WaitForAsync("handshake with", "failed");
        }
        Assert.Equal(0, server.AcceptedCount);
        await AssertServesAGoodPeer(server);
    }

    static async Task AssertServesAGoodPeer(TestListener server)
    {
        await using var good = await server.ConnectAsync(LinkKit.Options("good") with { TensorChunkBytes = 1024 });
        Link accepted;
        do accepted = await server.NextAcceptedAsync(); while (accepted.RemoteName != "good");
        await good.SendAsync(new WireMessage("Ok", [], [new float[1000]]));
        Assert.Equal("Ok", (await accepted.ReceiveAsync().Within())!.Type);
    }
}
