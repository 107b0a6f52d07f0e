// Exponential backoff with "equal jitter": each delay is drawn from [base/2, base], base doubling up to a cap.
namespace Orion.Actors.Remote;

internal sealed class Backoff(TimeSpan first, TimeSpan max, Random random)
{
    TimeSpan _base = first;

    public TimeSpan Next()
    {
        var current = _base;
        _base = TimeSpan.FromTicks(Math.Min(max.Ticks, current.Ticks * 2));
        return TimeSpan.FromTicks(current.Ticks / 2 + (long)(random.NextDouble() * (current.Ticks / 2)));
    }
}
