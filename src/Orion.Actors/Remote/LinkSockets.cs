// Socket settings shared by both ends of a link: no Nagle delay, large buffers, and the loopback test used by TlsMode.Auto.
using System.Net;
using System.Net.Sockets;

namespace Orion.Actors.Remote;

internal static class LinkSockets
{
    /// <summary>Large enough to keep a 10 Gbit/s link busy across a LAN round trip. Setting it disables Linux's buffer
    /// auto-tuning, but macOS (the real fleet) caps auto-tuning lower than this anyway.</summary>
    const int BufferBytes = 4 << 20;

    public static void Configure(Socket socket)
    {
        // Frames are written whole; Nagle would hold back the last segment of every frame waiting for an ACK.
        socket.NoDelay = true;
        try
        {
            socket.SendBufferSize = BufferBytes;
            socket.ReceiveBufferSize = BufferBytes;
        }
        catch (SocketException)
        {
            // The OS may refuse the size (it clamps on most systems); the link works with the default, only slower.
        }
    }

    public static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    public static bool IsLoopback(EndPoint? endPoint) => endPoint is IPEndPoint ip && IsLoopback(ip.Address);
}
