// What bounds the data plane's server against a client that misbehaves, by mistake or on purpose: each gradient
// upload rents a whole tensor (hundreds of MB) before its first byte is read, so without a bound on uploads in flight a
// burst of requests would exhaust the coordinator's memory and kill the run.
namespace Orion.Actors.DataPlane;

public sealed record DataPlaneLimits
{
    public static DataPlaneLimits Default { get; } = new();

    /// <summary>
    /// Gradient uploads received at once; more wait (their bytes held back by TCP, not in memory) until one finishes.
    /// A worker posts one gradient at a time, so a fleet of up to this many workers never waits.
    /// </summary>
    public int MaxConcurrentUploads { get; init; } = 8;

    /// <summary>How long a TLS client has from connecting to a finished handshake (Kestrel's default).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        if (MaxConcurrentUploads < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentUploads), MaxConcurrentUploads, "expected at least 1 upload at a time");
        if (HandshakeTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), HandshakeTimeout, "expected a positive handshake timeout");
    }
}
