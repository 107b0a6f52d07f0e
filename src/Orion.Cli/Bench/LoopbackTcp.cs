// The raw reference of `exchange`: N plain loopback TCP connections moving the bytes of one coordinator round (each
// near end sends one buffer, its far end receives it whole and sends one back). No framing, no copies, no allocation.
using System.Net;
using System.Net.Sockets;

namespace Orion.Cli.Bench;

/// <summary>
/// Socket pairs on 127.0.0.1 with the operating system's default settings (what "plain TCP" gets). Buffers are
/// allocated once, so a round measures the kernel's loopback path alone: the ceiling the links are compared with.
/// </summary>
internal sealed class LoopbackTcp : LoopbackPairs<Socket>, IDisposable
{
    private LoopbackTcp(Socket[] near, Socket[] far, int bytes) : base(near, far, bytes) { }

    protected override string Label => "raw TCP";

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

    protected override async Task SendAllAsync(Socket socket, byte[] buffer)
    {
        for (int done = 0; done < buffer.Length;)
            done += await socket.SendAsync(buffer.AsMemory(done), SocketFlags.None).ConfigureAwait(false);
    }

    protected override async Task ReceiveAllAsync(Socket socket, byte[] buffer)
    {
        for (int done = 0; done < buffer.Length;)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(done), SocketFlags.None).ConfigureAwait(false);
            if (n == 0) throw new IOException($"loopback connection closed after {done:N0} of {buffer.Length:N0} bytes");
            done += n;
        }
    }

    public void Dispose()
    {
        foreach (var s in Ends) s.Dispose();
    }
}
