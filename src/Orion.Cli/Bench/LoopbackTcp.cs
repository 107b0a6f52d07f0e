// The raw reference of `exchange`: N plain loopback TCP connections moving the bytes of one coordinator round (each
// near end sends one buffer, its far end receives it whole and sends one back). No framing, no copies, no allocation.
using System.Net;
using System.Net.Sockets;

namespace Orion.Cli.Bench;

/// <summary>
/// Socket pairs on 127.0.0.1 with the operating system's default settings (what "plain TCP" gets). Buffers are
/// allocated once, so a round measures the kernel's loopback path alone: the ceiling the links are compared with.
/// </summary>
internal sealed class LoopbackTcp : IDisposable
{
    private readonly Socket[] _near;
    private readonly Socket[] _far;
    private readonly byte[] _outbound;
    private readonly byte[] _reply;
    private readonly byte[][] _farReceived;
    private readonly byte[][] _nearReceived;

    private LoopbackTcp(Socket[] near, Socket[] far, int bytes)
    {
        _near = near;
        _far = far;
        _outbound = Pattern(bytes, 11);
        _reply = Pattern(bytes, 23);
        _farReceived = near.Select(_ => GC.AllocateUninitializedArray<byte>(bytes)).ToArray();
        _nearReceived = near.Select(_ => GC.AllocateUninitializedArray<byte>(bytes)).ToArray();
    }

    /// <summary>Payload bytes one round moves: every connection carries one buffer each way.</summary>
    public long RoundBytes => 2L * _near.Length * _outbound.Length;

    public static LoopbackTcp Connect(int connections, int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(connections);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        var near = new List<Socket>();
        var far = new List<Socket>();
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(connections);
            for (int i = 0; i < connections; i++)
            {
                // Connect then accept, one at a time, so near[i] and far[i] are the two ends of one connection.
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                near.Add(socket);
                socket.Connect(listener.LocalEndPoint!);
                far.Add(listener.Accept());
            }
            return new LoopbackTcp([.. near], [.. far], bytes);
        }
        catch
        {
            foreach (var s in near.Concat(far)) s.Dispose();
            throw;
        }
    }

    /// <summary>One round: every connection at once, the far end replying as soon as its buffer is complete.</summary>
    public void Round() => Task.WhenAll(Enumerable.Range(0, _near.Length).Select(PairAsync)).GetAwaiter().GetResult();

    /// <summary>Runs a round after clearing the receive buffers and checks every byte arrived as sent, both ways.</summary>
    public void CheckRound()
    {
        foreach (var b in _farReceived.Concat(_nearReceived)) Array.Clear(b);
        Round();
        for (int i = 0; i < _near.Length; i++)
        {
            Same(_outbound, _farReceived[i], $"connection {i}, outbound");
            Same(_reply, _nearReceived[i], $"connection {i}, reply");
        }
    }

    private async Task PairAsync(int i)
    {
        var far = FarAsync(i);
        await SendAllAsync(_near[i], _outbound).ConfigureAwait(false);
        await ReceiveAllAsync(_near[i], _nearReceived[i]).ConfigureAwait(false);
        await far.ConfigureAwait(false);
    }

    private async Task FarAsync(int i)
    {
        await ReceiveAllAsync(_far[i], _farReceived[i]).ConfigureAwait(false);
        await SendAllAsync(_far[i], _reply).ConfigureAwait(false);
    }

    private static async Task SendAllAsync(Socket socket, byte[] buffer)
    {
        for (int done = 0; done < buffer.Length;)
            done += await socket.SendAsync(buffer.AsMemory(done), SocketFlags.None).ConfigureAwait(false);
    }

    private static async Task ReceiveAllAsync(Socket socket, byte[] buffer)
    {
        for (int done = 0; done < buffer.Length;)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(done), SocketFlags.None).ConfigureAwait(false);
            if (n == 0) throw new IOException($"loopback connection closed after {done:N0} of {buffer.Length:N0} bytes");
            done += n;
        }
    }

    private static void Same(byte[] sent, byte[] received, string what)
    {
        int prefix = sent.AsSpan().CommonPrefixLength(received);
        if (prefix != sent.Length)
            throw new InvalidOperationException($"raw TCP {what}: received bytes differ from the sent ones at byte {prefix:N0} of {sent.Length:N0}");
    }

    private static byte[] Pattern(int bytes, int seed)
    {
        var b = GC.AllocateUninitializedArray<byte>(bytes);
        for (int i = 0; i < b.Length; i++) b[i] = (byte)(i * seed + (i >> 12));
        return b;
    }

    public void Dispose()
    {
        foreach (var s in _near.Concat(_far)) s.Dispose();
    }
}
