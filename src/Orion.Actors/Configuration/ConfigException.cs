// The one error type of reading and binding configuration: a message naming the key, the file and the line where
// they are known, plus file and line as data for callers that point an editor at them.
namespace Orion.Actors.Configuration;

public sealed class ConfigException : Exception
{
    public ConfigException(string message, string? file = null, int line = 0, Exception? innerException = null)
        : base(message, innerException)
    {
        File = file;
        Line = line;
    }

    /// <summary>The file the offending text is in, or null when no file is involved (an environment variable, a default).</summary>
    public string? File { get; }

    /// <summary>1-based line of the offending text, or 0 when unknown.</summary>
    public int Line { get; }
}
