// The per-process compile budget: the ANE fails silently after ~119 compiles in one process (R05).
namespace Orion.Engine.Ane;

/// <summary>Counts compiles and refuses past <see cref="Limit"/>. Thread-safe. Devices share <see cref="Process"/> unless given their own.</summary>
public sealed class CompileBudget(int limit)
{
    public const int DefaultLimit = 119;
    private int _used;

    /// <summary>The process-wide budget (limit from ORION_COMPILE_BUDGET when set, else 119).</summary>
    public static CompileBudget Process { get; } = new(ReadLimitFromEnvironment());

    public int Limit { get; } = limit > 0 ? limit : throw new ArgumentOutOfRangeException(nameof(limit), limit, "the compile budget must be positive");
    public int Used => Volatile.Read(ref _used);
    public int Remaining => Math.Max(0, Limit - Used);

    /// <summary>Takes one compile from the budget or throws <see cref="CompileBudgetExceededException"/>.</summary>
    public void Consume()
    {
        while (true)
        {
            int used = Volatile.Read(ref _used);
            if (used >= Limit) throw new CompileBudgetExceededException(Limit);
            if (Interlocked.CompareExchange(ref _used, used + 1, used) == used) return;
        }
    }

    private static int ReadLimitFromEnvironment()
    {
        var v = Environment.GetEnvironmentVariable("ORION_COMPILE_BUDGET");
        if (string.IsNullOrWhiteSpace(v)) return DefaultLimit;
        return int.TryParse(v, out var n) && n > 0 ? n
            : throw new InvalidOperationException($"ORION_COMPILE_BUDGET is '{v}', expected a positive whole number of compiles per process (default {DefaultLimit})");
    }
}

public sealed class CompileBudgetExceededException(int limit) : InvalidOperationException(
    $"R05: compile budget exhausted: this process already compiled {limit} programs, the most the ANE survives before failing silently. " +
    "Use delta patching (PatchWeights) for weight updates, the program cache for repeated programs, or restart the process (~50 ms, R15).")
{
    public int Limit { get; } = limit;
}
