// Entry point of the in-repo HOCON reader (Lightbend config's HOCON.md; the NuGet feed has no HOCON library).
// Parse a user file and reference.conf, merge with WithFallback, then Resolve (or let Parse resolve at once).
namespace Orion.Engine.Config;

public static class HoconParser
{
    /// <summary>
    /// Reads a HOCON file. Includes are found relative to its folder; substitutions fall back on
    /// <paramref name="environment"/> (the process environment when null). With <paramref name="resolve"/> false,
    /// substitutions stay open so they can see values from a fallback merged later: call <see cref="HoconObject.Resolve"/>.
    /// </summary>
    public static HoconObject ParseFile(string path, Func<string, string?>? environment = null, bool resolve = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new ConfigException($"config file {path} not found (looked for {fullPath}); check the path or the working folder");
        var text = File.ReadAllText(fullPath);
        var root = HoconFileParser.ParseText(text, path, Path.GetDirectoryName(fullPath), environment ?? ProcessEnvironment, [], [fullPath]);
        return resolve ? root.Resolve() : root;
    }

    /// <summary>
    /// Parses HOCON text. <paramref name="origin"/> names it in errors and origins (e.g. "worker.conf" or "--config");
    /// relative includes need <paramref name="baseDirectory"/>.
    /// </summary>
    public static HoconObject Parse(string text, string origin, Func<string, string?>? environment = null,
        string? baseDirectory = null, bool resolve = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(origin);
        var root = HoconFileParser.ParseText(text, origin, baseDirectory, environment ?? ProcessEnvironment, [], []);
        return resolve ? root.Resolve() : root;
    }

    private static string? ProcessEnvironment(string name) => Environment.GetEnvironmentVariable(name);
}
