// The per-process compile budget: the ANE fails silently after ~119 compiles in one process (R05).
namespace Orion.Engine.Ane;

/// <summary>Counts compiles and refuses past <see cref="Limit"/>. Thread-safe. Devices share <see cref="Process"/> unless given their own.</summary>
public sealed class CompileBudget(int limit)
{
    /// <summary>The emulator's limit: where the hardware starts failing silently (~119 per process, R05).</summary>
    public const int DefaultLimit = 119;

    /// <summary>The real device's limit: refused well before the hardware's ~119, so a run recycles the process in time.</summary>
    public const int AneDefaultLimit = 100;

    private int _used;

    /// <summary>The emulator's process-wide budget (limit from ORION_COMPILE_BUDGET when set, else 119).</summary>
    public static CompileBudget Process => s_process.Value;

    /// <summary>The macOS device's process-wide budget (limit from ORION_COMPILE_BUDGET when set, else 100).</summary>
    public static CompileBudget AneProcess => s_aneProcess.Value;

    // Lazy, not static initializers: a malformed ORION_COMPILE_BUDGET is then the clear error below every time it is
    // asked for, not a TypeInitializationException (the CLI checks it before anything runs: EnvironmentSettings).
    private static readonly Lazy<CompileBudget> s_process = new(() => new(ReadLimitFromEnvironment(DefaultLimit)));
    private static readonly Lazy<CompileBudget> s_aneProcess = new(() => new(ReadLimitFromEnvironment(AneDefaultLimit)));

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

    internal static int ReadLimitFromEnvironment(int defaultLimit) => ParseLimit(Environment.GetEnvironmentVariable("ORION_COMPILE_BUDGET"), defaultLimit);

    internal static int ParseLimit(string? value, int defaultLimit)
    {
        if (string.IsNullOrWhiteSpace(value)) return defaultLimit;
        return int.TryParse(value, out var n) && n > 0 ? n
            : throw new InvalidOperationException($"ORION_COMPILE_BUDGET is '{value}', expected a positive whole number of compiles per process (default {defaultLimit})");
    }
}

public sealed class CompileBudgetExceededException(int limit) : InvalidOperationException(
    $"R05: compile budget exhausted: this process already compiled {limit} programs, the most the ANE survives before failing silently. " +
    "Use delta patching (PatchWeights) for weight updates, the program cache for repeated programs, or restart the process (~50 ms, R15).")
{
    public int Limit { get; } = limit;
}
