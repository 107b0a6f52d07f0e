// How a parent treats one child's failures: a decider, a restart budget and an exponential restart backoff.
// Reference: Akka.NET OneForOneStrategy + BackoffSupervisor (here one record per child, given at Spawn).
namespace Orion.Actors;

/// <summary>
/// The strategy a parent applies to the child it was given for at Spawn. Restarts wait MinBackoff, doubling per
/// restart up to MaxBackoff (no wait when MinBackoff is null); after MaxRestarts restarts the next failure stops
/// the child. The count covers the child's whole life.
/// </summary>
public sealed record SupervisorStrategy(
    Func<Exception, SupervisorDirective> Decider,
    int MaxRestarts = 10,
    TimeSpan? MinBackoff = null,
    TimeSpan? MaxBackoff = null)
{
    /// <summary>Children spawned without a strategy: restart at once, at most 10 times.</summary>
    public static SupervisorStrategy Default { get; } = new(_ => SupervisorDirective.Restart);

    /// <summary>Stop the child on any failure (the default for top-level actors).</summary>
    public static SupervisorStrategy StopOnFailure { get; } = new(_ => SupervisorDirective.Stop, MaxRestarts: 0);

    /// <summary>Fail the parent with every failure of this child.</summary>
    public static SupervisorStrategy EscalateAll { get; } = new(_ => SupervisorDirective.Escalate, MaxRestarts: 0);

    /// <summary>Restart on failure (or as <paramref name="decider"/> says) after a backoff doubling from min to max.</summary>
    public static SupervisorStrategy RestartWithBackoff(
        TimeSpan minBackoff, TimeSpan maxBackoff, int maxRestarts = 10,
        Func<Exception, SupervisorDirective>? decider = null) =>
        new(decider ?? (_ => SupervisorDirective.Restart), maxRestarts, minBackoff, maxBackoff);

    /// <summary>Throws, naming the field, when the strategy cannot be applied.</summary>
    internal void Validate()
    {
        if (Decider is null)
            throw new ArgumentException("SupervisorStrategy.Decider is null; expected a function from exception to directive", nameof(Decider));
        if (MaxRestarts < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxRestarts), MaxRestarts, "SupervisorStrategy.MaxRestarts must be >= 0 (0 = stop on the first failure the decider restarts)");
        if (MinBackoff is { } min && min < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MinBackoff), min, "SupervisorStrategy.MinBackoff must be >= 0");
        if (MaxBackoff is { } max && (MinBackoff is not { } lo || max < lo))
            throw new ArgumentOutOfRangeException(nameof(MaxBackoff), max, $"SupervisorStrategy.MaxBackoff must be >= MinBackoff ({MinBackoff?.ToString() ?? "null"}); set both or neither");
    }

    /// <summary>The wait before restart number <paramref name="restart"/> (1-based): MinBackoff * 2^(restart-1), capped.</summary>
    internal TimeSpan BackoffFor(int restart)
    {
        if (MinBackoff is not { } min || min == TimeSpan.Zero)
            return TimeSpan.Zero;
        var cap = MaxBackoff ?? TimeSpan.FromHours(1);
        double ticks = min.Ticks * Math.Pow(2, Math.Min(restart - 1, 40));
        return ticks >= cap.Ticks ? cap : TimeSpan.FromTicks((long)ticks);
    }
}
