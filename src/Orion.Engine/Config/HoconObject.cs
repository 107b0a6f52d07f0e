// A HOCON object: fields in the order first written. Holds the two operations the spec defines on whole configs:
// merging with a fallback (HOCON.md "Config object merging and file merging") and resolving substitutions.
using System.Diagnostics.CodeAnalysis;

namespace Orion.Engine.Config;

public sealed class HoconObject : HoconValue
{
    private readonly OrderedDictionary<string, HoconValue> _fields;
    private readonly bool _resolved;

    public HoconObject(IEnumerable<KeyValuePair<string, HoconValue>> fields, HoconOrigin origin) : base(origin)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _fields = new OrderedDictionary<string, HoconValue>(StringComparer.Ordinal);
        foreach (var (key, value) in fields) _fields[key] = value;
        _resolved = _fields.Values.All(v => v.IsResolved);
    }

    /// <summary>Takes ownership of <paramref name="fields"/> (no copy): for the parser, merger and resolver.</summary>
    internal HoconObject(OrderedDictionary<string, HoconValue> fields, HoconOrigin origin, bool owned) : base(origin)
    {
        _ = owned;
        _fields = fields;
        _resolved = _fields.Values.All(v => v.IsResolved);
    }

    internal static HoconObject Empty(HoconOrigin origin) => new(new OrderedDictionary<string, HoconValue>(StringComparer.Ordinal), origin, owned: true);

    /// <summary>Field names in the order they were first written.</summary>
    public IReadOnlyList<string> Keys => _fields.Keys;

    public int Count => _fields.Count;

    internal IEnumerable<KeyValuePair<string, HoconValue>> Fields => _fields;

    public override bool IsResolved => _resolved;

    /// <summary>The direct child named <paramref name="key"/> (no path splitting: "a.b" is one key here).</summary>
    public bool TryGetField(string key, [NotNullWhen(true)] out HoconValue? value) => _fields.TryGetValue(key, out value);

    /// <summary>
    /// The value at a path expression such as <c>orion.training.steps</c> or <c>a."b.c"</c>. False when any element is
    /// missing or a non-object is on the way. Throws <see cref="ConfigException"/> if the path runs into an unresolved
    /// substitution: call <see cref="Resolve"/> first.
    /// </summary>
    public bool TryGet(string path, [NotNullWhen(true)] out HoconValue? value)
    {
        value = null;
        HoconValue node = this;
        foreach (var key in HoconPath.Parse(path))
        {
            if (node is not HoconObject obj) { ThrowIfPending(node, path); return false; }
            if (!obj._fields.TryGetValue(key, out var child)) return false;
            node = child;
        }
        ThrowIfPending(node, path);
        value = node;
        return true;
    }

    /// <summary>
    /// This object over <paramref name="fallback"/>: keys only in the fallback are added, objects present in both merge
    /// key by key, and for anything else this object's value wins. Values taken from the fallback are marked
    /// <see cref="HoconOrigin.IsDefault"/>, so layer the user's own files with <c>include</c>, and use this for defaults.
    /// </summary>
    public HoconObject WithFallback(HoconObject fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return HoconMerge.MergeObjects(this, (HoconObject)HoconMerge.MarkDefault(fallback));
    }

    /// <summary>
    /// A copy with every substitution replaced by its value (HOCON.md "Substitutions"). Throws
    /// <see cref="ConfigException"/> naming file:line for a required substitution found nowhere, or for a cycle.
    /// </summary>
    public HoconObject Resolve() => HoconResolver.Resolve(this);

    internal override HoconValue WithOrigin(HoconOrigin origin) => new HoconObject(_fields, origin, owned: true);

    internal override string Describe() => "an object";

    private static void ThrowIfPending(HoconValue node, string path)
    {
        if (!node.IsResolved && node is not HoconObject)
            throw new ConfigException(
                $"{node.Origin}: '{path}' still holds a substitution; call Resolve() on the merged configuration before reading it",
                node.Origin);
    }
}
