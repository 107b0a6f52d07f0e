// Binds one object of a resolved config (e.g. orion.training) to typed settings at start-up, the .NET options way:
// every getter names key, value, file and line when the value is wrong, and EnsureNoUnknownKeys reports keys the
// user wrote that no code reads (a misspelt key is otherwise a silently ignored setting). Getters: ConfigSection.Values.cs.
using System.Diagnostics.CodeAnalysis;

namespace Orion.Engine.Config;

public sealed partial class ConfigSection
{
    private readonly HoconObject _object;
    private readonly string _path;
    private readonly List<string> _read = [];
    private readonly Dictionary<string, ConfigSection> _children = new(StringComparer.Ordinal);

    /// <summary>The object at <paramref name="path"/> ("" for the root); resolves <paramref name="root"/> if needed.
    /// A missing section is empty (its required getters then report the missing keys).</summary>
    public ConfigSection(HoconObject root, string path)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        HoconObject node = root.IsResolved ? root : root.Resolve();
        _path = "";
        foreach (var key in path.Length == 0 ? [] : HoconPath.Parse(path))
        {
            _path = HoconPath.Join(_path, key);
            node = ChildObject(node, key, _path);
        }
        _object = node;
    }

    private ConfigSection(string path, HoconObject obj)
    {
        _object = obj;
        _path = path;
    }

    /// <summary>The full path of this section, e.g. orion.training.</summary>
    public string Path => _path;

    public HoconObject Object => _object;

    public IReadOnlyList<string> Keys => _object.Keys;

    /// <summary>True when <paramref name="key"/> is set to something other than null; counts as reading it.</summary>
    public bool Has(string key) => TryFind(key, out _);

    /// <summary>The object under <paramref name="key"/> as a section whose keys are checked with this one's.</summary>
    public ConfigSection Section(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_children.TryGetValue(key, out var known)) return known;
        var node = _object;
        var path = _path;
        foreach (var k in HoconPath.Parse(key))
        {
            path = HoconPath.Join(path, k);
            node = ChildObject(node, k, path);
        }
        MarkRead(key);
        return _children[key] = new ConfigSection(path, node);
    }

    /// <summary>
    /// Throws naming every key of this section (and of sections taken from it) that the user's files set but no getter
    /// read, with file, line, the keys known here and the nearest spelling. Values that came from a fallback
    /// (reference.conf) never count: only what the user wrote can be a typo.
    /// </summary>
    public void EnsureNoUnknownKeys()
    {
        var problems = new List<(string Message, HoconOrigin Origin)>();
        Collect(problems);
        if (problems.Count == 0) return;
        var message = string.Join(Environment.NewLine, problems.Select(p => p.Message));
        throw new ConfigException(message, problems[0].Origin);
    }

    private void Collect(List<(string, HoconOrigin)> problems)
    {
        var known = _read.Select(k => HoconPath.Parse(k)[0])
            .Concat(_object.Fields.Where(f => f.Value.Origin.IsDefault).Select(f => f.Key))
            .Distinct(StringComparer.Ordinal).ToList();
        foreach (var (key, value) in _object.Fields)
        {
            if (known.Contains(key, StringComparer.Ordinal) || !IsUserWritten(value)) continue;
            var hint = Nearest(key, known) is { } near ? $"; did you mean '{near}'?" : "";
            var list = known.Count == 0 ? "(none)" : string.Join(", ", known);
            problems.Add(($"unknown key '{HoconPath.Join(_path, key)}' at {value.Origin}; known keys here: {list}{hint} — check the spelling",
                value.Origin));
        }
        foreach (var child in _children.Values) child.Collect(problems);
    }

    private static bool IsUserWritten(HoconValue value) =>
        !value.Origin.IsDefault || (value is HoconObject o && o.Fields.Any(f => IsUserWritten(f.Value)));

    private static string? Nearest(string key, List<string> known) =>
        known.Select(k => (Key: k, Distance: EditDistance(key, k)))
            .Where(c => c.Distance <= Math.Max(1, Math.Min(3, key.Length / 3)))
            .OrderBy(c => c.Distance).Select(c => c.Key).FirstOrDefault();

    /// <summary>Edit distance counting a swap of neighbours as one edit (optimal string alignment): stpes -> steps is 1.</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    private void MarkRead(string key)
    {
        if (!_read.Contains(key, StringComparer.Ordinal)) _read.Add(key);
    }

    /// <summary>Finds a key (a path relative to this section), marking it read; null values count as absent.</summary>
    private bool TryFind(string key, [NotNullWhen(true)] out HoconValue? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        MarkRead(key);
        value = null;
        HoconValue node = _object;
        foreach (var k in HoconPath.Parse(key))
        {
            if (node is not HoconObject o || !o.TryGetField(k, out var child)) return false;
            node = child;
        }
        if (node is HoconScalar { Kind: HoconScalarKind.Null }) return false;
        value = node;
        return true;
    }

    private static HoconObject ChildObject(HoconObject parent, string key, string path)
    {
        if (!parent.TryGetField(key, out var child) || child is HoconScalar { Kind: HoconScalarKind.Null })
            return HoconObject.Empty(parent.Origin);
        return child as HoconObject ?? throw new ConfigException(
            $"bad value for '{path}' at {child.Origin}: {HoconConvert.Show(child)} is {child.Describe()}; expected an object " +
            $"(a section of settings, e.g. {path.Split('.')[^1]} {{ ... }})", child.Origin);
    }
}
