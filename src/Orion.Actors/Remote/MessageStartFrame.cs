// Layout of the MessageStart payload: [u16+utf8 type][u32 header length][header][u16 tensor count]{[u64 elements][u8 encoding]}.
using System.Text;

namespace Orion.Actors.Remote;

/// <summary>What one tensor of a message will bring in the TensorChunk frames that follow.</summary>
internal readonly record struct TensorSpec(long Elements, TensorEncoding Encoding);

/// <summary>A decoded MessageStart: the message minus its tensor data.</summary>
internal sealed record MessageStart(string Type, byte[] Header, TensorSpec[] Tensors);

internal static class MessageStartFrame
{
    public const int MaxTypeBytes = 1024;

    /// <summary>Builds the payload, checking the message against this side's limits; a violation is the caller's bug,
    /// so it throws ArgumentException and the link stays open.</summary>
    public static ReadOnlyMemory<byte> Encode(WireMessage message, TensorEncoding encoding, LinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Type is null || message.Header is null || message.Tensors is null)
            throw new ArgumentException("WireMessage.Type, Header and Tensors must not be null (use [] for no header or no tensors)", nameof(message));
        if (!Enum.IsDefined(encoding))
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "expected TensorEncoding.Fp32 or Bf16");
        int typeBytes = Encoding.UTF8.GetByteCount(message.Type);
        if (typeBytes is 0 or > MaxTypeBytes)
            throw new ArgumentException($"message type '{message.Type}' is {typeBytes} UTF-8 bytes; expected 1 to {MaxTypeBytes} (name the message kind, e.g. 'StepAssigned')", nameof(message));
        if (message.Tensors.Count > ushort.MaxValue)
            throw new ArgumentException($"message '{message.Type}' has {message.Tensors.Count:N0} tensors; at most {ushort.MaxValue:N0} fit a message (concatenate small ones)", nameof(message));
        long fp32Bytes = 0;
        foreach (var tensor in message.Tensors) fp32Bytes += 4L * tensor.Length;
        if (fp32Bytes > options.MaxMessageBytes)
            throw new ArgumentException($"message '{message.Type}' carries {fp32Bytes:N0} tensor bytes (as fp32); MaxMessageBytes is {options.MaxMessageBytes:N0} (the receiver would close the link: split the message)", nameof(message));

        var writer = new PayloadWriter().String(message.Type).U32((uint)message.Header.Length).Bytes(message.Header).U16((ushort)message.Tensors.Count);
        foreach (var tensor in message.Tensors) writer.U64((ulong)tensor.Length).U8((byte)encoding);
        var payload = writer.Written;
        if (payload.Length > options.MaxFrameBytes)
            throw new ArgumentException($"message '{message.Type}': its header ({message.Header.Length:N0} bytes) makes a {payload.Length:N0}-byte MessageStart frame, over MaxFrameBytes {options.MaxFrameBytes:N0} (send bulk data as tensors, not in the header)", nameof(message));
        return payload;
    }

    public static MessageStart Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload, "MessageStart");
        string type = reader.String("type");
        int headerLength = checked((int)Math.Min(reader.U32("header length"), int.MaxValue));
        byte[] header = reader.Bytes(headerLength, "header").ToArray();
        int count = reader.U16("tensor count");
        var tensors = new TensorSpec[count];
        for (int i = 0; i < count; i++)
        {
            ulong elements = reader.U64($"tensor {i} element count");
            byte encoding = reader.U8($"tensor {i} encoding");
            if (!Enum.IsDefined((TensorEncoding)encoding))
                throw new LinkProtocolException($"MessageStart '{type}': tensor {i} has unknown encoding {encoding}; expected 0 (fp32) or 1 (bf16)");
            if (elements > (ulong)Array.MaxLength)
                throw new LinkProtocolException($"MessageStart '{type}': tensor {i} declares {elements:N0} elements; one tensor holds at most {Array.MaxLength:N0}");
            tensors[i] = new TensorSpec((long)elements, (TensorEncoding)encoding);
        }
        reader.End();
        return new MessageStart(type, header, tensors);
    }
}
