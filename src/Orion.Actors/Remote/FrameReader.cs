// Reads [u32 LE length][u8 kind][payload] frames from a stream, rejecting oversized lengths and unknown kinds before reading on.
using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;

namespace Orion.Actors.Remote;

/// <summary>One frame; <see cref="Payload"/> is only valid until the next <see cref="FrameReader.ReadAsync"/>.</summary>
internal readonly record struct Frame(FrameKind Kind, ReadOnlyMemory<byte> Payload);

/// <summary>Reads exactly one frame at a time and never reads ahead, so the stream can be switched (plaintext -> TLS)
/// between frames. Not thread-safe: one reader per link.</summary>
internal sealed class FrameReader(Stream stream, int maxFrameBytes, string limitName = "MaxFrameBytes") : IDisposable
{
    public const int HeaderBytes = 5;

    readonly byte[] _header = new byte[HeaderBytes];
    byte[] _payload = [];
    long _bytesRead;
    long _lastReceived = Stopwatch.GetTimestamp();

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>When bytes last arrived (Stopwatch ticks): the failure detector's input. Partial frames count, so a
    /// slow but live transfer of a large frame is never mistaken for a dead peer.</summary>
    public long LastReceivedTimestamp => Interlocked.Read(ref _lastReceived);

    /// <summary>The next frame, or null when the stream ends cleanly between frames.</summary>
    public async ValueTask<Frame?> ReadAsync(CancellationToken ct)
    {
        if (!await FillAsync(_header, atFrameStart: true, ct).ConfigureAwait(false)) return null;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(_header);
        var kind = (FrameKind)_header[4];
        if (length > (uint)maxFrameBytes)
            throw new LinkProtocolException(
                $"frame length {length:N0} bytes exceeds the limit of {maxFrameBytes:N0} ({limitName}; the peer uses a larger limit or is not an Orion node)");
        if (!Enum.IsDefined(kind))
            throw new LinkProtocolException($"unknown frame kind 0x{(byte)kind:X2} (payload {length:N0} bytes); the peer speaks another protocol");
        if (_payload.Length < length)
        {
            if (_payload.Length > 0) ArrayPool<byte>.Shared.Return(_payload);
            _payload = [];
            _payload = ArrayPool<byte>.Shared.Rent((int)length);
        }
        var payload = _payload.AsMemory(0, (int)length);
        await FillAsync(payload, atFrameStart: false, ct).ConfigureAwait(false);
        return new Frame(kind, payload);
    }

    async ValueTask<bool> FillAsync(Memory<byte> buffer, bool atFrameStart, CancellationToken ct)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer[done..], ct).ConfigureAwait(false);
            if (n == 0)
            {
                if (done == 0 && atFrameStart) return false;
                throw new LinkProtocolException(
                    $"truncated frame: the connection ended after {done} of {buffer.Length} {(atFrameStart ? "header" : "payload")} bytes");
            }
            done += n;
            Interlocked.Add(ref _bytesRead, n);
            Interlocked.Exchange(ref _lastReceived, Stopwatch.GetTimestamp());
        }
        return true;
    }

    public void Dispose()
    {
        if (_payload.Length > 0) ArrayPool<byte>.Shared.Return(_payload);
        _payload = [];
    }
}
