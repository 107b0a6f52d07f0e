// Turns a MessageStart frame and its TensorChunk frames into a WireMessage, decoding each chunk straight into its float[].
namespace Orion.Actors.Remote;

/// <summary>Receive-side state of one link: at most one message in progress. Chunks fill the tensors in order (tensor 0
/// first, zero-length tensors get none), each chunk inside one tensor. Any deviation throws LinkProtocolException.</summary>
internal sealed class MessageAssembler(long maxMessageBytes)
{
    MessageStart? _start;
    float[][] _tensors = [];
    int _current;
    long _filled;

    public bool InProgress => _start is not null;

    /// <summary>Where the message in progress stands, for close reasons.</summary>
    public string Progress => _start is null
        ? "no message in progress"
        : $"message '{_start.Type}' stopped at tensor {_current} of {_tensors.Length}, element {_filled:N0} of {_tensors[_current].Length:N0}";

    /// <summary>Returns the message at once when it has no tensor data, else null until the last chunk.</summary>
    public WireMessage? OnMessageStart(ReadOnlySpan<byte> payload)
    {
        var start = MessageStartFrame.Decode(payload);
        if (_start is not null)
            throw new LinkProtocolException($"MessageStart '{start.Type}' arrived before the previous message was complete ({Progress})");
        long fp32Bytes = 0;
        foreach (var spec in start.Tensors) fp32Bytes += 4 * spec.Elements; // each <= Array.MaxLength: no overflow
        if (fp32Bytes > maxMessageBytes)
            throw new LinkProtocolException(
                $"message '{start.Type}' declares {fp32Bytes:N0} tensor bytes, over MaxMessageBytes {maxMessageBytes:N0} (raise the limit on both sides, or split the message)");
        // Rented once at the declared length (TensorPool); stale contents are safe because every element is written before delivery.
        var tensors = new float[start.Tensors.Length][];
        for (int i = 0; i < tensors.Length; i++) tensors[i] = TensorPool.Rent((int)start.Tensors[i].Elements);
        _start = start;
        _tensors = tensors;
        _current = 0;
        _filled = 0;
        return CompleteIfDone();
    }

    public WireMessage? OnTensorChunk(ReadOnlySpan<byte> payload)
    {
        if (_start is null)
            throw new LinkProtocolException($"tensor chunk of {payload.Length:N0} bytes without a MessageStart before it");
        var encoding = _start.Tensors[_current].Encoding;
        int bytesPerElement = TensorWireCodec.BytesPerElement(encoding);
        if (payload.Length == 0 || payload.Length % bytesPerElement != 0)
            throw new LinkProtocolException(
                $"tensor chunk of {payload.Length:N0} bytes for {encoding} tensor {_current} of '{_start.Type}'; expected a positive multiple of {bytesPerElement}");
        var destination = _tensors[_current];
        long elements = payload.Length / bytesPerElement, left = destination.Length - _filled;
        if (elements > left)
            throw new LinkProtocolException(
                $"tensor chunk overflows tensor {_current} of '{_start.Type}': {elements:N0} elements sent, {left:N0} of {destination.Length:N0} left");
        TensorWireCodec.Decode(payload, destination.AsSpan((int)_filled, (int)elements), encoding);
        _filled += elements;
        if (_filled == destination.Length)
        {
            _current++;
            _filled = 0;
        }
        return CompleteIfDone();
    }

    WireMessage? CompleteIfDone()
    {
        while (_current < _tensors.Length && _tensors[_current].Length == 0) _current++;
        if (_current < _tensors.Length) return null;
        var tensors = new ReadOnlyMemory<float>[_tensors.Length];
        for (int i = 0; i < tensors.Length; i++) tensors[i] = _tensors[i];
        var message = new WireMessage(_start!.Type, _start.Header, tensors);
        _start = null;
        _tensors = [];
        _current = 0;
        return message;
    }
}
