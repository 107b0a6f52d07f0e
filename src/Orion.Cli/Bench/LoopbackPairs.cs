// What the raw references of `exchange` share: N loopback connections moving the bytes of one coordinator round (each
// near end sends one buffer, its far end receives it whole and sends one back), with buffers allocated once and a
// check that every byte arrived as sent. The transports (plain sockets, SslStream pairs) differ only in how one end
// sends and receives a whole buffer.
namespace Orion.Cli.Bench;

internal abstract class LoopbackPairs<TEnd>
{
    private readonly TEnd[] _near;
    private readonly TEnd[] _far;
    private readonly byte[] _outbound;
    private readonly byte[] _reply;
    private readonly byte[][] _farReceived;
    private readonly byte[][] _nearReceived;

    protected LoopbackPairs(TEnd[] near, TEnd[] far, int bytes)
    {
        _near = near;
        _far = far;
        _outbound = Pattern(bytes, 11);
        _reply = Pattern(bytes, 23);
        _farReceived = near.Select(_ => GC.AllocateUninitializedArray<byte>(bytes)).ToArray();
        _nearReceived = near.Select(_ => GC.AllocateUninitializedArray<byte>(bytes)).ToArray();
    }

    /// <summary>"raw TCP" or "raw TLS": how errors name the reference.</summary>
    protected abstract string Label { get; }

    protected IEnumerable<TEnd> Ends => _near.Concat(_far);

    /// <summary>Payload bytes one round moves: every connection carries one buffer each way.</summary>
    public long RoundBytes => 2L * _near.Length * _outbound.Length;

    protected abstract Task SendAllAsync(TEnd end, byte[] buffer);

    protected abstract Task ReceiveAllAsync(TEnd end, byte[] buffer);

    /// <summary>One round: every connection at once, the far end replying as soon as its buffer is complete.</summary>
    public void Round() => Task.WhenAll(Enumerable.Range(0, _near.Length).Select(PairAsync)).GetAwaiter().GetResult();

    /// <summary>Runs a round after clearing the receive buffers and checks every byte arrived as sent, both ways.</summary>
    public void CheckRound()
    {
        foreach (var b in _farReceived.Concat(_nearReceived)) Array.Clear(b);
        Round();
        for (int i = 0; i < _near.Length; i++)
        {
            Same(_outbound, _farReceived[i], $"connection {i}, outbound");
            Same(_reply, _nearReceived[i], $"connection {i}, reply");
        }
    }

    private async Task PairAsync(int i)
    {
        var far = FarAsync(i);
        await SendAllAsync(_near[i], _outbound).ConfigureAwait(false);
        await ReceiveAllAsync(_near[i], _nearReceived[i]).ConfigureAwait(false);
        await far.ConfigureAwait(false);
    }

    private async Task FarAsync(int i)
    {
        await ReceiveAllAsync(_far[i], _farReceived[i]).ConfigureAwait(false);
        await SendAllAsync(_far[i], _reply).ConfigureAwait(false);
    }

    private void Same(byte[] sent, byte[] received, string what)
    {
        int prefix = sent.AsSpan().CommonPrefixLength(received);
        if (prefix != sent.Length)
            throw new InvalidOperationException($"{Label} {what}: received bytes differ from the sent ones at byte {prefix:N0} of {sent.Length:N0}");
    }

    private static byte[] Pattern(int bytes, int seed)
    {
        var b = GC.AllocateUninitializedArray<byte>(bytes);
        for (int i = 0; i < b.Length; i++) b[i] = (byte)(i * seed + (i >> 12));
        return b;
    }
}
