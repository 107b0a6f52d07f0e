// A tensor surface bound to a program's input or output (an IOSurface on macOS; ane-reference.md section 2 step 6).
// Data is packed C x S values from byte 0; a larger allocation is padding (R20).
namespace Orion.Engine.Ane;

public abstract class AneSurface : IDisposable
{
    /// <summary>Allocation size in bytes (what R02, R04 and R18 constrain).</summary>
    public abstract int ByteCount { get; }

    /// <summary>Copies <paramref name="data"/> to the start of the surface, under the surface's write lock.</summary>
    public abstract void Write(ReadOnlySpan<byte> data);

    /// <summary>Copies the first <paramref name="destination"/>.Length bytes out, under a read-only lock.</summary>
    public abstract void Read(Span<byte> destination);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }
}

/// <summary>A surface in managed memory, used by the emulator.</summary>
public sealed class ManagedSurface(int byteCount) : AneSurface
{
    private readonly byte[] _bytes = new byte[byteCount];

    public override int ByteCount => _bytes.Length;
    public override void Write(ReadOnlySpan<byte> data)
    {
        if (data.Length > _bytes.Length)
            throw new ArgumentException($"writing {data.Length} bytes into a {_bytes.Length}-byte surface", nameof(data));
        data.CopyTo(_bytes);
    }

    public override void Read(Span<byte> destination)
    {
        if (destination.Length > _bytes.Length)
            throw new ArgumentException($"reading {destination.Length} bytes from a {_bytes.Length}-byte surface", nameof(destination));
        _bytes.AsSpan(0, destination.Length).CopyTo(destination);
    }

    internal Span<byte> Bytes => _bytes;
}
