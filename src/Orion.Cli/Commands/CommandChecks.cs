// Checks of command-line values shared by the commands, made before any work so a bad path fails at once and clearly.
namespace Orion.Cli.Commands;

internal static class CommandChecks
{
    /// <summary>An output folder may be missing (it is created) but must not be an existing file.</summary>
    public static void OutputFolder(string path, string option)
    {
        if (File.Exists(path))
            throw new CliUsageException($"{option} '{path}' is a file, expected a folder (it is created when missing); pick another path or remove the file");
    }
}
