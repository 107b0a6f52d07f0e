// The one error type of configuration reading and binding: a message that names file and line, plus both as data.
namespace Orion.Engine.Config;

public sealed class ConfigException : Exception
{
    public ConfigException(string message, HoconOrigin? origin = null, Exception? innerException = null)
        : base(message, innerException)
    {
        File = origin?.File;
        Line = origin?.Line ?? 0;
    }

    /// <summary>The file the offending text is in, or null when no file is involved (e.g. a setting that is missing everywhere).</summary>
    public string? File { get; }

    /// <summary>1-based line of the offending text, or 0 when unknown.</summary>
    public int Line { get; }
}
