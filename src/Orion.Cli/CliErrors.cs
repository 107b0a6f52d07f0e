// Which failures are the user's input (one paragraph, exit 1) and how to word them: what, value, expected, hint.
using Orion.Engine.Ane;
using Orion.Engine.Graph;
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;

namespace Orion.Cli;

internal static class CliErrors
{
    /// <summary>
    /// Bad files, bad values and restriction violations. ArgumentNullException is never the user's doing (a null
    /// reaching the engine is a bug), so it stays an internal error.
    /// </summary>
    public static bool IsUserError(Exception e) => e is MilException or AneRestrictionException or FormatException or FileNotFoundException
        or DirectoryNotFoundException or GraphException or CompileBudgetExceededException or CliUsageException
        or DeviceUnavailableException or Orion.Engine.Ane.Apple.Native.AneNativeException
        or InvalidDataException or UnauthorizedAccessException or IOException
        or Orion.Actors.Configuration.ConfigException or Orion.Actors.Journal.JournalException
        or Orion.Actors.DataPlane.DataPlaneRefusedException or System.Net.Sockets.SocketException or Orion.Coordinator.RunFailedException
        or Orion.Actors.Security.SecurityConfigException or Orion.Engine.Diagnostics.EnvironmentSettingException
        || (e is ArgumentException && e is not ArgumentNullException);

    public static string Describe(Exception e) => e switch
    {
        AneRestrictionException r => "orion: the program breaks ANE restrictions:" + Environment.NewLine +
            string.Join(Environment.NewLine, r.Diagnostics.Select(d => "  " + d)) + Environment.NewLine +
            "See ane-reference.md section 7 for each rule.",
        MilException m => $"orion: invalid MIL program: {m.Message}",
        Orion.Engine.Diagnostics.EnvironmentSettingException v => $"orion: environment: {v.Message}",
        Orion.Actors.Configuration.ConfigException c => $"orion: configuration: {c.Message}",
        ArgumentException a => $"orion: {WithoutParameterName(a)}",
        _ => $"orion: {e.Message}",
    };

    /// <summary>ArgumentException appends " (Parameter 'name')": an engine detail that means nothing on the command line.</summary>
    private static string WithoutParameterName(ArgumentException a)
    {
        var suffix = a.ParamName is null ? null : $" (Parameter '{a.ParamName}')";
        return suffix is not null && a.Message.EndsWith(suffix, StringComparison.Ordinal) ? a.Message[..^suffix.Length] : a.Message;
    }
}

/// <summary>Bad command-line values detected by a command (exit 1 with the message).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
