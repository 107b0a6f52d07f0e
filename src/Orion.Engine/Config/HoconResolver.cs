// Replaces substitutions with values (HOCON.md "Substitutions"): paths are looked up in the whole merged tree, then
// in the environment; optional ones that find nothing remove their field; cycles are errors that list the chain.
// Lookups walk the unresolved tree and resolve only what they pass through, so bar { foo = 1, baz = ${bar.foo} } works.
namespace Orion.Engine.Config;

internal sealed class HoconResolver
{
    private readonly HoconObject _root;
    private readonly Dictionary<HoconValue, HoconValue?> _done = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<HoconValue> _active = new(ReferenceEqualityComparer.Instance);
    private readonly List<HoconSubstitution> _chain = [];

    private HoconResolver(HoconObject root) => _root = root;

    public static HoconObject Resolve(HoconObject root) =>
        root.IsResolved ? root : (HoconObject)new HoconResolver(root).Resolve(root)!;

    /// <summary>The resolved value, or null when it is undefined (an optional substitution that found nothing).</summary>
    private HoconValue? Resolve(HoconValue value)
    {
        if (value.IsResolved) return value;
        if (_done.TryGetValue(value, out var known)) return known;
        if (!_active.Add(value)) throw Cycle(value);
        HoconValue? result;
        try
        {
            result = value switch
            {
                HoconObject o => ResolveObject(o),
                HoconArray a => new HoconArray(a.Items.Select(Resolve).OfType<HoconValue>(), a.Origin),
                HoconSubstitution s => ResolveSubstitution(s),
                HoconConcatenation c => ResolveConcatenation(c),
                HoconDelayedMerge d => ResolveDelayedMerge(d),
                _ => throw new InvalidOperationException("unknown HOCON node " + value.GetType().Name),
            };
        }
        finally
        {
            _active.Remove(value);
        }
        _done[value] = result;
        return result;
    }

    private HoconObject ResolveObject(HoconObject o)
    {
        var fields = new OrderedDictionary<string, HoconValue>(StringComparer.Ordinal);
        foreach (var (key, value) in o.Fields)
            if (Resolve(value) is { } resolved) fields[key] = resolved;
        return new HoconObject(fields, o.Origin, owned: true);
    }

    private HoconValue? ResolveSubstitution(HoconSubstitution s)
    {
        _chain.Add(s);
        try
        {
            HoconValue? found;
            if (s.IsSelfReference)
                found = s.Previous is null ? null : Descend(Resolve(s.Previous), s.FullPath.AsSpan(s.SelfDepth));
            else
                found = Lookup(s.FullPath) ?? (s.Prefix.Length > 0 ? Lookup(s.Path) : null);
            // Report the place that wrote ${...}: that is the line a user looks at, and it is the user's line.
            if (found is not null) return found is HoconObject ? found : found.WithOrigin(s.Origin);

            var fromEnvironment = s.Environment(string.Join('.', s.Path));
            if (fromEnvironment is not null) return new HoconScalar(HoconScalarKind.String, fromEnvironment, s.Origin);
            if (s.Optional) return null;
            throw new ConfigException(
                $"{s.Origin}: cannot resolve {s}: there is no setting '{HoconPath.Render(s.FullPath)}' and no environment " +
                $"variable {string.Join('.', s.Path)}; define one of them, or write ${{?{s.PathText}}} if the value may be absent", s.Origin);
        }
        finally
        {
            _chain.RemoveAt(_chain.Count - 1);
        }
    }

    /// <summary>Walks the unresolved tree from the root, resolving only the nodes on the way.</summary>
    private HoconValue? Lookup(string[] path)
    {
        HoconValue? node = _root;
        foreach (var key in path)
        {
            if (HoconConcatenation.IsPending(node!)) node = Resolve(node!);
            if (node is not HoconObject obj || !obj.TryGetField(key, out var child)) return null;
            node = child;
        }
        return Resolve(node!);
    }

    private static HoconValue? Descend(HoconValue? node, ReadOnlySpan<string> path)
    {
        foreach (var key in path)
            if (node is not HoconObject obj || !obj.TryGetField(key, out node)) return null;
        return node;
    }

    private HoconValue? ResolveConcatenation(HoconConcatenation c)
    {
        var parts = new List<ConcatPart>();
        foreach (var part in c.Parts)
        {
            if (part.IsSeparator) { parts.Add(part); continue; }
            var value = Resolve(part.Value);
            if (value is null) continue;
            // HOCON.md: a substitution that is null joins text as "", not "null".
            if (part.Value is HoconSubstitution && value is HoconScalar { Kind: HoconScalarKind.Null })
                value = new HoconScalar(HoconScalarKind.String, "", value.Origin);
            parts.Add(new ConcatPart(value, false));
        }
        return HoconConcatenation.Fold(parts, c.Origin);
    }

    private HoconValue? ResolveDelayedMerge(HoconDelayedMerge d)
    {
        HoconObject? merged = null;
        foreach (var item in d.Items)
        {
            var value = Resolve(item);
            if (value is null) continue;
            if (value is not HoconObject obj) return merged ?? value; // a non-object hides everything below it
            merged = merged is null ? obj : HoconMerge.MergeObjects(merged, obj);
        }
        return merged;
    }

    private ConfigException Cycle(HoconValue value)
    {
        var at = _chain.Count > 0 ? _chain[^1].Origin : value.Origin;
        var steps = string.Join(" -> ", _chain.Select(s => $"{s} ({s.Origin})"));
        return new ConfigException(
            $"{at}: substitution cycle: {(steps.Length > 0 ? steps : value.ToString())} comes back to a value it is computing; " +
            "a setting cannot depend on itself (use a = ${?a} ... only to extend an earlier value)", at);
    }
}
