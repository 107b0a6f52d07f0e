// IOSurfaceCreate properties for one tensor surface (section 2 step 6): width = bytes, height 1, 1 byte per
// element, bytes per row = bytes, alloc size = bytes, pixel format 0. Data is packed C x S from byte 0 (R20).
namespace Orion.Engine.Ane.Apple;

public static class SurfaceProperties
{
    /// <summary>(exported key symbol, value) pairs, in the order section 2 lists them.</summary>
    public static IReadOnlyList<(string Symbol, long Value)> For(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(byteCount);
        return
        [
            ("kIOSurfaceWidth", byteCount),
            ("kIOSurfaceHeight", 1),
            ("kIOSurfaceBytesPerElement", 1),
            ("kIOSurfaceBytesPerRow", byteCount),
            ("kIOSurfaceAllocSize", byteCount),
            ("kIOSurfacePixelFormat", 0),
        ];
    }

    /// <summary>
    /// Copies packed tensor bytes to the start of a surface's memory (R20); the padding after them is zeroed so a
    /// stale tail from an earlier, larger tensor can never be read as data.
    /// </summary>
    public static void WritePacked(Span<byte> surface, ReadOnlySpan<byte> data)
    {
        if (data.Length > surface.Length)
            throw new ArgumentException($"writing {data.Length:N0} bytes into a {surface.Length:N0}-byte surface", nameof(data));
        data.CopyTo(surface);
        surface[data.Length..].Clear();
    }

    /// <summary>Copies the first <paramref name="destination"/>.Length bytes of a surface (outputs are packed from byte 0).</summary>
    public static void ReadPacked(ReadOnlySpan<byte> surface, Span<byte> destination)
    {
        if (destination.Length > surface.Length)
            throw new ArgumentException($"reading {destination.Length:N0} bytes from a {surface.Length:N0}-byte surface", nameof(destination));
        surface[..destination.Length].CopyTo(destination);
    }
}
