// Merging of duplicate keys, included files and fallbacks, which HOCON.md defines as one rule
// ("Duplicate keys and object merging", "Config object merging and file merging"): objects merge key by key,
// anything else written later wins. Also binds self-referential substitutions to the value they replace.
namespace Orion.Engine.Config;

internal static class HoconMerge
{
    /// <summary><paramref name="later"/> written over <paramref name="earlier"/> for the same key.</summary>
    public static HoconValue Merge(HoconValue later, HoconValue earlier)
    {
        if (later is HoconObject laterObject)
        {
            if (earlier is HoconObject earlierObject) return MergeObjects(laterObject, earlierObject);
            // An object over a substitution merges with whatever the substitution turns out to be.
            return HoconConcatenation.IsPending(earlier) ? HoconDelayedMerge.Of(laterObject, earlier) : laterObject;
        }
        var bound = BindSelfReferences(later, earlier);
        // Kept side by side until resolved: the later value may turn out an object that merges, or be undefined
        // (a = ${?OVERRIDE} with no OVERRIDE), in which case the earlier value stands (HOCON.md "Optional substitutions").
        return HoconConcatenation.IsPending(bound) ? HoconDelayedMerge.Of(bound, earlier) : bound;
    }

    public static HoconObject MergeObjects(HoconObject later, HoconObject earlier)
    {
        var fields = new OrderedDictionary<string, HoconValue>(StringComparer.Ordinal);
        foreach (var (key, value) in earlier.Fields) fields[key] = value;
        foreach (var (key, value) in later.Fields)
            fields[key] = fields.TryGetValue(key, out var old) ? Merge(value, old) : value;
        // The first place the user (not a fallback) wrote the object is the most useful one to point at.
        var origin = earlier.Origin.IsDefault && !later.Origin.IsDefault ? later.Origin : earlier.Origin;
        return new HoconObject(fields, origin, owned: true);
    }

    /// <summary>
    /// Gives every still-unbound self-referential substitution directly in <paramref name="value"/> (not inside a nested
    /// object, whose fields have paths of their own) the field's earlier value.
    /// </summary>
    public static HoconValue BindSelfReferences(HoconValue value, HoconValue previous)
    {
        switch (value)
        {
            case HoconSubstitution { IsSelfReference: true, Previous: null } s:
                return s.WithPrevious(previous);
            case HoconConcatenation c:
                return new HoconConcatenation(
                    c.Parts.Select(p => p with { Value = p.Value is HoconObject ? p.Value : BindSelfReferences(p.Value, previous) }).ToList(),
                    c.Origin);
            case HoconArray { IsResolved: false } a:
                return new HoconArray(a.Items.Select(i => i is HoconObject ? i : BindSelfReferences(i, previous)), a.Origin);
            case HoconDelayedMerge d:
                return new HoconDelayedMerge(d.Items.Select(i => i is HoconObject ? i : BindSelfReferences(i, previous)).ToList(), d.Origin);
            default:
                return value;
        }
    }

    /// <summary>A copy of the tree with every origin marked as a default (see <see cref="HoconOrigin.IsDefault"/>).</summary>
    public static HoconValue MarkDefault(HoconValue value) =>
        MarkDefault(value, new Dictionary<HoconValue, HoconValue>(ReferenceEqualityComparer.Instance));

    // Memoized by node identity: += chains share nodes, and copying them apart would multiply the tree.
    private static HoconValue MarkDefault(HoconValue value, Dictionary<HoconValue, HoconValue> done)
    {
        if (done.TryGetValue(value, out var copy)) return copy;
        var origin = value.Origin with { IsDefault = true };
        copy = value switch
        {
            HoconScalar s => s.WithOrigin(origin),
            HoconArray a => new HoconArray(a.Items.Select(i => MarkDefault(i, done)), origin),
            HoconObject o => new HoconObject(
                new OrderedDictionary<string, HoconValue>(o.Fields.Select(f => KeyValuePair.Create(f.Key, MarkDefault(f.Value, done))), StringComparer.Ordinal),
                origin, owned: true),
            HoconSubstitution s => s.WithPreviousAndOrigin(s.Previous is null ? null : MarkDefault(s.Previous, done), origin),
            HoconConcatenation c => new HoconConcatenation(c.Parts.Select(p => p with { Value = MarkDefault(p.Value, done) }).ToList(), origin),
            HoconDelayedMerge d => new HoconDelayedMerge(d.Items.Select(i => MarkDefault(i, done)).ToList(), origin),
            _ => throw new InvalidOperationException("unknown HOCON node " + value.GetType().Name),
        };
        done[value] = copy;
        return copy;
    }
}
