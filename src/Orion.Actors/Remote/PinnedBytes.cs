// A byte view of a window of pinned float memory, so fp32 tensor chunks are written from the caller's memory without a copy.
using System.Buffers;

namespace Orion.Actors.Remote;

/// <summary>Memory&lt;byte&gt; over [offset, offset + length) bytes of memory pinned by the caller's MemoryHandle.
/// A window, not the whole tensor: a tensor may exceed 2 GiB, a Memory&lt;byte&gt; may not.</summary>
internal sealed unsafe class PinnedBytes : MemoryManager<byte>
{
    readonly byte* _pointer;
    readonly int _length;

    PinnedBytes(byte* pointer, int length)
    {
        _pointer = pointer;
        _length = length;
    }

    /// <summary>The window must stay inside the pinned memory and the pin must outlive the window.</summary>
    public static PinnedBytes Window(MemoryHandle pin, long byteOffset, int length) => new((byte*)pin.Pointer + byteOffset, length);

    public override Span<byte> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
