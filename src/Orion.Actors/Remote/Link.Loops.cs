// Link, background side: the read loop (frames -> messages, heartbeats answered) and the heartbeat timer + failure detector.
using System.Diagnostics;
using System.Net.Sockets;

namespace Orion.Actors.Remote;

public sealed partial class Link
{
    /// <summary>Reads frames until the link closes. Every way out ends in Close with a reason; nothing escapes.</summary>
    async Task ReadLoopAsync()
    {
        var assembler = new MessageAssembler(_options.MaxMessageBytes);
        try
        {
            while (true)
            {
                var next = await _reader.ReadAsync(_lifetime.Token).ConfigureAwait(false);
                if (next is not { } frame)
                {
                    if (_goodbyeSent) Close(LocalCloseReason, failure: false);
                    else if (assembler.InProgress) Close($"'{RemoteName}' closed the connection in the middle of a message ({assembler.Progress})", failure: true);
                    else Close($"'{RemoteName}' closed the connection without a goodbye (its process ended or the network dropped)", failure: true);
                    return;
                }
                switch (frame.Kind)
                {
                    case FrameKind.MessageStart:
                        Deliver(assembler.OnMessageStart(frame.Payload.Span));
                        break;
                    case FrameKind.TensorChunk:
                        Deliver(assembler.OnTensorChunk(frame.Payload.Span));
                        break;
                    case FrameKind.Ping:
                        Interlocked.Increment(ref _pingsReceived);
                        PingReceived?.Invoke();
                        // Rate-limited, so a peer flooding Pings cannot make us flood it back.
                        if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastSent)) >= _options.HeartbeatInterval / 4)
                            _ = TrySendControlAsync(FrameKind.Pong);
                        break;
                    case FrameKind.Pong:
                        break;
                    case FrameKind.Close:
                        Close($"'{RemoteName}' said goodbye: {DecodeCloseReason(frame.Payload.Span)}", failure: false);
                        return;
                    default:
                        throw new LinkProtocolException($"{frame.Kind} frame after the handshake ({frame.Payload.Length} bytes)");
                }
            }
        }
        catch (LinkProtocolException e)
        {
            Close($"malformed frame from '{RemoteName}' ({RemoteEndPoint}): {e.Message}", failure: true);
        }
        catch (OutOfMemoryException e)
        {
            // Only a declared size within MaxMessageBytes gets here: this node has less memory than its limit promises.
            Close($"out of memory receiving from '{RemoteName}' ({e.Message}): lower MaxMessageBytes to what this machine can hold", failure: true);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or NotSupportedException)
        {
            if (_goodbyeSent) Close(LocalCloseReason, failure: false);
            else Close($"receiving from '{RemoteName}' failed: {e.Message}", failure: true);
        }
    }

    void Deliver(WireMessage? message)
    {
        if (message is not null) _inbox.Writer.TryWrite(message);
    }

    /// <summary>Ticks a few times per heartbeat interval: sends a Ping when nothing went out for HeartbeatInterval,
    /// and closes the link when nothing came in for FailureTimeout. Independent of the read loop and of sends, so
    /// a stuck write or a silent peer is detected all the same.</summary>
    async Task HeartbeatLoopAsync()
    {
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(5).Ticks, _options.HeartbeatInterval.Ticks / 4));
        using var timer = new PeriodicTimer(tick);
        try
        {
            while (await timer.WaitForNextTickAsync(_lifetime.Token).ConfigureAwait(false))
            {
                long now = Stopwatch.GetTimestamp();
                var silent = Stopwatch.GetElapsedTime(_reader.LastReceivedTimestamp, now);
                if (silent >= _options.FailureTimeout)
                {
                    Close($"failure detector: nothing received from '{RemoteName}' ({RemoteEndPoint}) for {silent.TotalSeconds:0.0} s " +
                        $"(FailureTimeout {_options.FailureTimeout.TotalSeconds:0.###} s): the peer hung, crashed or the network dropped", failure: true);
                    return;
                }
                if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastSent), now) >= _options.HeartbeatInterval)
                    _ = TrySendControlAsync(FrameKind.Ping);
            }
        }
        catch (OperationCanceledException)
        {
            // The link closed; Close already recorded why.
        }
    }
}
