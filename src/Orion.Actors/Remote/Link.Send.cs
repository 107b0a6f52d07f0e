// Link, writing side: messages as a MessageStart frame plus TensorChunk frames cut straight from the caller's memory.
using System.Buffers;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;

namespace Orion.Actors.Remote;

public sealed partial class Link
{
    /// <summary>One writer at a time: a message's frames must reach the wire back to back.</summary>
    readonly SemaphoreSlim _sendLock = new(1, 1);
    readonly byte[] _chunkHeader = new byte[FrameReader.HeaderBytes];
    long _bytesSent;
    long _lastSent;

    /// <summary>Sends a message with tensors in <see cref="LinkOptions.Encoding"/>. Thread-safe: concurrent sends
    /// are serialized whole. <paramref name="ct"/> cancels only the wait for the send turn; once the first frame is
    /// written the message completes or the link closes (a half-sent message cannot be taken back).</summary>
    public Task SendAsync(WireMessage message, CancellationToken ct = default) => SendAsync(message, _options.Encoding, ct);

    /// <summary>As <see cref="SendAsync(WireMessage, CancellationToken)"/>, with this message's tensor encoding
    /// (e.g. weights in fp32, gradients in bf16).</summary>
    public async Task SendAsync(WireMessage message, TensorEncoding encoding, CancellationToken ct = default)
    {
        var start = MessageStartFrame.Encode(message, encoding, _options);
        if (Volatile.Read(ref _closeState) != 0) throw ClosedException();
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        byte[]? encoded = null;
        try
        {
            if (Volatile.Read(ref _closeState) != 0) throw ClosedException();
            await WriteFrameAsync(FrameKind.MessageStart, start).ConfigureAwait(false);
            bool rawFp32 = encoding == TensorEncoding.Fp32 && BitConverter.IsLittleEndian;
            if (!rawFp32) encoded = ArrayPool<byte>.Shared.Rent(FrameReader.HeaderBytes + _options.TensorChunkBytes);
            foreach (var tensor in message.Tensors)
            {
                if (rawFp32) await WriteRawFp32Async(tensor).ConfigureAwait(false);
                else await WriteEncodedAsync(tensor, encoding, encoded!).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or NotSupportedException)
        {
            Close($"sending to '{RemoteName}' failed: {e.Message}", failure: true);
            throw ClosedException(e);
        }
        finally
        {
            if (encoded is not null) ArrayPool<byte>.Shared.Return(encoded);
            _sendLock.Release();
        }
    }

    /// <summary>fp32 on a little-endian machine: the wire bytes are the memory bytes, so each chunk's payload is written
    /// from the caller's pinned memory with no copy; a 5-byte header write precedes it.</summary>
    async Task WriteRawFp32Async(ReadOnlyMemory<float> tensor)
    {
        int chunkElements = _options.TensorChunkBytes / 4;
        using var pin = tensor.Pin();
        for (int offset = 0; offset < tensor.Length; offset += chunkElements)
        {
            int count = Math.Min(chunkElements, tensor.Length - offset);
            FrameWriter.WriteHeader(_chunkHeader, FrameKind.TensorChunk, count * 4);
            await _stream.WriteAsync(_chunkHeader, _lifetime.Token).ConfigureAwait(false);
            using var window = PinnedBytes.Window(pin, (long)offset * 4, count * 4);
            await _stream.WriteAsync(window.Memory, _lifetime.Token).ConfigureAwait(false);
            Sent(FrameReader.HeaderBytes + count * 4);
        }
    }

    /// <summary>bf16 (or fp32 on a big-endian machine): each chunk is converted into one pooled buffer behind its header.</summary>
    async Task WriteEncodedAsync(ReadOnlyMemory<float> tensor, TensorEncoding encoding, byte[] buffer)
    {
        int bytesPerElement = TensorWireCodec.BytesPerElement(encoding);
        int chunkElements = _options.TensorChunkBytes / bytesPerElement;
        for (int offset = 0; offset < tensor.Length; offset += chunkElements)
        {
            int count = Math.Min(chunkElements, tensor.Length - offset);
            int payload = count * bytesPerElement;
            FrameWriter.WriteHeader(buffer, FrameKind.TensorChunk, payload);
            TensorWireCodec.Encode(tensor.Span.Slice(offset, count), buffer.AsSpan(FrameReader.HeaderBytes, payload), encoding);
            await _stream.WriteAsync(buffer.AsMemory(0, FrameReader.HeaderBytes + payload), _lifetime.Token).ConfigureAwait(false);
            Sent(FrameReader.HeaderBytes + payload);
        }
    }

    async Task WriteFrameAsync(FrameKind kind, ReadOnlyMemory<byte> payload) =>
        Sent(await FrameWriter.WriteAsync(_stream, kind, payload, _lifetime.Token).ConfigureAwait(false));

    void Sent(int bytes)
    {
        Interlocked.Add(ref _bytesSent, bytes);
        Interlocked.Exchange(ref _lastSent, Stopwatch.GetTimestamp());
    }

    /// <summary>Ping or Pong, only if nobody is sending: a send in progress already shows the peer we are alive, and the
    /// loops must never queue behind a large message.</summary>
    async Task TrySendControlAsync(FrameKind kind)
    {
        if (!_sendLock.Wait(0)) return;
        try
        {
            if (Volatile.Read(ref _closeState) == 0) await WriteFrameAsync(kind, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or NotSupportedException)
        {
            Close($"sending a {kind} to '{RemoteName}' failed: {e.Message}", failure: true);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Close frame, TLS close_notify, then our half of the TCP connection; true when all went out.</summary>
    async Task<bool> SayGoodbyeAsync(string reason)
    {
        if (!await _sendLock.WaitAsync(GoodbyeTimeout).ConfigureAwait(false)) return false;
        try
        {
            if (Volatile.Read(ref _closeState) != 0) return false;
            var payload = new PayloadWriter().String(Handshake.Sanitize(reason)).Written;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
            timeout.CancelAfter(GoodbyeTimeout);
            Sent(await FrameWriter.WriteAsync(_stream, FrameKind.Close, payload, timeout.Token).ConfigureAwait(false));
            if (_stream is SslStream ssl) await ssl.ShutdownAsync().WaitAsync(timeout.Token).ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or NotSupportedException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    static string DecodeCloseReason(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload, "Close");
        string text = reader.String("reason");
        reader.End();
        return Handshake.Sanitize(text.Length == 0 ? "no reason given" : text);
    }
}
