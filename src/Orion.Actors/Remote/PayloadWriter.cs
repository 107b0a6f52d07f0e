// Little-endian builder of small frame payloads (handshake and MessageStart); the mirror of PayloadReader.
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Orion.Actors.Remote;

internal sealed class PayloadWriter
{
    readonly ArrayBufferWriter<byte> _buffer = new(256);

    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public PayloadWriter U8(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public PayloadWriter U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public PayloadWriter U32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public PayloadWriter U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public PayloadWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    /// <summary>u16 byte length + UTF-8; callers check the length limit with a message that names the field.</summary>
    public PayloadWriter String(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return U16(checked((ushort)bytes.Length)).Bytes(bytes);
    }
}
