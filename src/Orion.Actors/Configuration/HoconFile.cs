// Reads a user's HOCON file with Akka's parser (the one the actor systems use, so `orion { }` and `akka { }` live in
// the same file and are parsed once), with relative includes resolved against the including file. Every problem is a
// ConfigException naming the file and line: Akka's own errors carry a character offset, turned into a line here.
using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Orion.Actors.Configuration;

public sealed partial class HoconFile
{
    private readonly List<(string Name, string Text)> _files;

    private HoconFile(Config config, List<(string Name, string Text)> files)
    {
        Config = config;
        _files = files;
    }

    /// <summary>What the files set, without defaults.</summary>
    public Config Config { get; }

    /// <summary>The main file, then each file it included (in the order they were read).</summary>
    public IEnumerable<string> Files => _files.Select(f => f.Name);

    public static HoconFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var files = new List<(string, string)>();
        var root = ParseFile(Path.GetFullPath(path), path, files, []);
        CheckNoCycles(root, path);
        return new HoconFile(new Config(root), files);
    }

    /// <summary>Parses text that is not a file (tests, the embedded reference); includes are refused.</summary>
    public static Config Parse(string text, string name)
    {
        var files = new List<(string, string)>();
        var root = ParseText(text, name, files, _ => throw new ConfigException($"{name}: include is not allowed here", name));
        CheckNoCycles(root, name);
        return new Config(root);
    }

    /// <summary>"file:line" of the last line in the user's files that sets <paramref name="path"/>'s last key, else the main file.</summary>
    public string Locate(string path, out string file, out int line)
    {
        var leaf = path[(path.LastIndexOf('.') + 1)..];
        var pattern = new Regex($@"(^|[\s{{.,])""?{Regex.Escape(leaf)}""?\s*(=|:|\{{|\+=)", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        foreach (var (name, text) in _files)
        {
            var matches = pattern.Matches(text);
            if (matches.Count == 0) continue;
            file = name;
            line = HoconText.LineOf(text, matches[^1].Index + matches[^1].Groups[1].Length);
            return $"{file}:{line}";
        }
        file = _files[0].Name;
        line = 0;
        return file;
    }

    private static HoconRoot ParseFile(string fullPath, string shownAs, List<(string, string)> files, List<string> including)
    {
        if (including.Contains(fullPath, StringComparer.Ordinal))
            throw new ConfigException($"{shownAs}: includes itself (through {string.Join(" -> ", including.Select(Path.GetFileName))}); expected includes that end", shownAs);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"config file '{shownAs}' cannot be read ({e.Message}); expected a readable HOCON file", shownAs, 0, e);
        }
        var dir = Path.GetDirectoryName(fullPath)!;
        List<string> chain = [.. including, fullPath];
        return ParseText(text, shownAs, files, name =>
        {
            var target = Path.GetFullPath(name, dir);
            var shown = Path.GetRelativePath(Environment.CurrentDirectory, target);
            if (!File.Exists(target))
                throw new ConfigException($"{shownAs}: include \"{name}\" names '{target}', which does not exist; expected a path relative to {Path.GetFileName(fullPath)}", shownAs);
            return ParseFile(target, shown, files, chain);
        });
    }

    private static HoconRoot ParseText(string text, string name, List<(string, string)> files, Func<string, HoconRoot> include)
    {
        HoconText.Check(text, name);
        files.Add((name, text));
        try
        {
            return Parser.Parse(text, include);
        }
        catch (ConfigException)
        {
            throw;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or NullReferenceException or IndexOutOfRangeException)
        {
            // Akka reports "... at position N: <line>"; N is an offset into this text.
            var message = e.Message.Split('\n')[0].Trim();
            if (PositionPattern().Match(message) is { Success: true } m && int.TryParse(m.Groups[1].Value, out int offset))
            {
                int line = HoconText.LineOf(text, offset);
                throw new ConfigException($"{name}:{line}: {message[..m.Index].TrimEnd()} (Akka's HOCON parser); check the syntax on that line, e.g. a comma after '}}'", name, line, e);
            }
            throw new ConfigException($"{name}: {message} (Akka's HOCON parser)", name, 0, e);
        }
    }

    /// <summary>
    /// A substitution that refers to itself, directly or through others, makes Akka recurse until the process dies of
    /// a stack overflow, which no handler can catch; so it is found here, walking the tree once.
    /// </summary>
    private static void CheckNoCycles(HoconRoot root, string file)
    {
        var onPath = new HashSet<HoconValue>(ReferenceEqualityComparer.Instance);
        var done = new HashSet<HoconValue>(ReferenceEqualityComparer.Instance);
        void Visit(HoconValue value, string via)
        {
            if (done.Contains(value)) return;
            if (!onPath.Add(value))
                throw new ConfigException($"{file}: the substitution ${{{via}}} refers back to itself; expected substitutions that end in a value (self-references such as a = ${{a}}\"x\" are not supported)", file);
            foreach (var element in value.Values)
            {
                switch (element)
                {
                    case HoconSubstitution s when s.ResolvedValue is { } resolved:
                        Visit(resolved, s.Path);
                        break;
                    case HoconObject o:
                        foreach (var item in o.Items.Values) Visit(item, via);
                        break;
                    case HoconArray a:
                        foreach (var item in a) Visit(item, via);
                        break;
                }
            }
            onPath.Remove(value);
            done.Add(value);
        }
        Visit(root.Value, "");
    }

    [GeneratedRegex(@"at position (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex PositionPattern();
}
