// Deterministic crash injection for the kill -9 resume tests (issue 5, item 7): a test sets ORION_CRASH_AT to
// "<point>:<n>" and the process SIGKILLs itself the n-th time it reaches that point — in the middle of a checkpoint
// write, inside a journal transaction before its commit — instead of racing a wall clock to kill it from outside.
using System.Diagnostics;

namespace Orion.Engine.Diagnostics;

public static class CrashPoints
{
    public const string Variable = "ORION_CRASH_AT";
    // Lazy, so a malformed ORION_CRASH_AT is a clear ArgumentException, not a type initializer failure; the CLI
    // checks it before anything runs (EnvironmentSettings).
    private static readonly Lazy<(string Point, long Count)?> s_target = new(() => ParseTarget(Environment.GetEnvironmentVariable(Variable)));
    private static long _hits;

    /// <summary>Marks a named point; kills the process (SIGKILL, no cleanup, no flush) when it is the configured n-th hit.</summary>
    public static void Hit(string point)
    {
        if (s_target.Value is not { } t || !string.Equals(t.Point, point, StringComparison.Ordinal)) return;
        if (Interlocked.Increment(ref _hits) == t.Count)
        {
            Console.Error.WriteLine($"{Variable}: killing the process at {point} #{t.Count}");
            Console.Error.Flush();
            Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite); // Kill is asynchronous; never run past the crash point
        }
    }

    internal static (string, long)? ParseTarget(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) return null;
        int colon = spec.LastIndexOf(':');
        if (colon <= 0 || !long.TryParse(spec.AsSpan(colon + 1), out long n) || n <= 0)
            throw new ArgumentException($"{Variable}='{spec}' is not '<point>:<n>' with n >= 1 (e.g. 'journal-persisted:3')");
        return (spec[..colon], n);
    }
}
