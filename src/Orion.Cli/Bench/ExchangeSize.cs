// The shape of one `exchange` benchmark: how many workers share a coordinator round and how big each tensor message is.
namespace Orion.Cli.Bench;

/// <summary><paramref name="Workers"/> loopback workers; each round sends every worker <paramref name="MessageBytes"/> of fp32
/// weights and gets as many gradient bytes back (the figure: 100 MB, N = 2 and 4).</summary>
public sealed record ExchangeSize(int Workers, int MessageBytes)
{
    public const int DefaultMessageBytes = 100_000_000;

    public int Floats => MessageBytes / sizeof(float);

    /// <summary>Tensor bytes one round moves, both directions over all workers.</summary>
    public long RoundBytes => 2L * Workers * MessageBytes;

    public void Validate()
    {
        if (Workers < 1) throw new ArgumentException($"exchange size {this}: Workers is {Workers}; expected 1 or more", nameof(Workers));
        if (MessageBytes < sizeof(float) || MessageBytes % sizeof(float) != 0)
            throw new ArgumentException($"exchange size {this}: MessageBytes is {MessageBytes:N0}; expected a positive multiple of 4 (messages carry fp32 values)", nameof(MessageBytes));
    }
}
