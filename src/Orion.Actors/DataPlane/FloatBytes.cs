// A float[] seen as Memory<byte> (its fp32 values as raw little-endian bytes), so streams read and write tensors in
// place: no copy into a byte buffer on either side of the data plane. Pinning is per use, as MemoryManager requires.
using System.Buffers;
using System.Runtime.InteropServices;

namespace Orion.Actors.DataPlane;

public sealed class FloatBytes(float[] values) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(values.AsSpan());

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        var handle = GCHandle.Alloc(values, GCHandleType.Pinned);
        unsafe
        {
            return new MemoryHandle((byte*)handle.AddrOfPinnedObject() + elementIndex, handle, this);
        }
    }

    public override void Unpin() { }

    protected override void Dispose(bool disposing) { }
}
