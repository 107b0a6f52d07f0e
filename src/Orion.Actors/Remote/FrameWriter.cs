// Writes [u32 LE length][u8 kind][payload] frames; small frames go out in one write (one TCP segment / TLS record).
using System.Buffers;
using System.Buffers.Binary;

namespace Orion.Actors.Remote;

internal static class FrameWriter
{
    public static void WriteHeader(Span<byte> destination, FrameKind kind, int payloadLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)payloadLength);
        destination[4] = (byte)kind;
    }

    /// <summary>Header and payload copied into one pooled buffer and written at once. Returns the bytes written.
    /// Callers serialize writes: a stream takes one writer at a time.</summary>
    public static async ValueTask<int> WriteAsync(Stream stream, FrameKind kind, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        int total = FrameReader.HeaderBytes + payload.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            WriteHeader(buffer, kind, payload.Length);
            payload.Span.CopyTo(buffer.AsSpan(FrameReader.HeaderBytes));
            await stream.WriteAsync(buffer.AsMemory(0, total), ct).ConfigureAwait(false);
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
