// Bounds-checked little-endian reader over one frame payload; every short read names the field it was reading.
using System.Buffers.Binary;
using System.Text;

namespace Orion.Actors.Remote;

internal ref struct PayloadReader(ReadOnlySpan<byte> payload, string frame)
{
    readonly ReadOnlySpan<byte> _payload = payload;
    int _position;

    public readonly int Remaining => _payload.Length - _position;

    public byte U8(string field) => Take(1, field)[0];

    public ushort U16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

    public uint U32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));

    public ulong U64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, field));

    public ReadOnlySpan<byte> Bytes(int count, string field) => Take(count, field);

    /// <summary>A u16-length-prefixed UTF-8 string; invalid UTF-8 is a protocol error, not a replacement character.</summary>
    public string String(string field)
    {
        var bytes = Take(U16(field + " length"), field);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new LinkProtocolException($"{frame} frame: {field} is not valid UTF-8");
        }
    }

    public readonly void End()
    {
        if (Remaining != 0)
            throw new LinkProtocolException($"{frame} frame has {Remaining} unexpected trailing bytes (payload {_payload.Length} bytes)");
    }

    ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > Remaining)
            throw new LinkProtocolException($"{frame} frame truncated: {field} needs {count} bytes at offset {_position}, only {Remaining} left");
        var span = _payload.Slice(_position, count);
        _position += count;
        return span;
    }

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
