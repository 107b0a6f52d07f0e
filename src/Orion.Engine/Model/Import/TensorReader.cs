// Reads the little-endian fp32 or bf16 tensors of a checkpoint body in file order, straight into the parameter
// buffer, so importing needs memory for the model once (not for the file as well). bf16 -> fp32 is exact: the 16
// bits are the high half of the float.
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Orion.Engine.Model.Import;

internal sealed class TensorReader(Stream stream, bool bf16)
{
    private const int ChunkBytes = 1 << 16;

    public int ElementSize => bf16 ? 2 : 4;

    public void Read(Span<float> destination)
    {
        if (!bf16)
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(destination));
            if (!BitConverter.IsLittleEndian)
            {
                var bits = MemoryMarshal.Cast<float, int>(destination);
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (!destination.IsEmpty)
            {
                int n = Math.Min(destination.Length, ChunkBytes / 2);
                stream.ReadExactly(buffer, 0, 2 * n);
                for (int i = 0; i < n; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(2 * i)) << 16);
                destination = destination[n..];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Skip(long elements)
    {
        long bytes = elements * ElementSize;
        if (stream.CanSeek) { stream.Seek(bytes, SeekOrigin.Current); return; }
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (bytes > 0)
            {
                int n = (int)Math.Min(bytes, ChunkBytes);
                stream.ReadExactly(buffer, 0, n);
                bytes -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
