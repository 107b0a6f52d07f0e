// Byte-level marshalling shared by the native calls: UTF-8 without BOM or terminator, NUL-terminated C strings.
using System.Text;

namespace Orion.Engine.Ane.Apple.Native;

public static class Marshalling
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>UTF-8 bytes of <paramref name="text"/>: no BOM, no NUL terminator (lengths are passed explicitly).</summary>
    public static byte[] Utf8(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Strict.GetBytes(text);
    }

    /// <summary>Text up to the first NUL (or the whole buffer when there is none), decoded as UTF-8.</summary>
    public static string FromNulTerminated(ReadOnlySpan<byte> buffer)
    {
        int end = buffer.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? buffer : buffer[..end]);
    }
}
