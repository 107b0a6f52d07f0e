// Which failures are the user's input (one paragraph, exit 1) and how to word them.
using Orion.Engine.Ane;
using Orion.Engine.Graph;
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;

namespace Orion.Cli;

internal static class CliErrors
{
    public static bool IsUserError(Exception e) => e is MilException or AneRestrictionException or FormatException or FileNotFoundException
        or DirectoryNotFoundException or ArgumentException or GraphException or CompileBudgetExceededException or CliUsageException
        or InvalidDataException or UnauthorizedAccessException or IOException;

    public static string Describe(Exception e) => e switch
    {
        AneRestrictionException r => "orion: the program breaks ANE restrictions:" + Environment.NewLine +
            string.Join(Environment.NewLine, r.Diagnostics.Select(d => "  " + d)) + Environment.NewLine +
            "See ane-reference.md section 7 for each rule.",
        MilException m => $"orion: malformed MIL: {m.Message}",
        _ => $"orion: {e.Message}",
    };
}

/// <summary>Bad command-line values detected by a command (exit 1 with the message).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
