// Value concatenation (HOCON.md "Value concatenation"): simple values and the whitespace between them join into one
// string, lists join into one list, objects merge. Kept unfolded only while a part is a substitution.
using System.Text;

namespace Orion.Engine.Config;

/// <summary>One piece of a concatenation; separators are the whitespace written between values.</summary>
internal readonly record struct ConcatPart(HoconValue Value, bool IsSeparator);

internal sealed class HoconConcatenation : HoconValue
{
    public HoconConcatenation(IReadOnlyList<ConcatPart> parts, HoconOrigin origin) : base(origin) => Parts = parts;

    public IReadOnlyList<ConcatPart> Parts { get; }

    public override bool IsResolved => false;

    internal override HoconValue WithOrigin(HoconOrigin origin) => new HoconConcatenation(Parts, origin);

    internal override string Describe() => "a concatenation";

    /// <summary>True when the value's type is only known after resolving (it may yet be an object that merges).</summary>
    public static bool IsPending(HoconValue v) => v is HoconSubstitution or HoconConcatenation or HoconDelayedMerge;

    /// <summary>
    /// Joins parts none of which is pending. Separators at either end are dropped (an undefined optional substitution
    /// may have left them there); null when no value is left, which makes the field undefined.
    /// </summary>
    public static HoconValue? Fold(List<ConcatPart> parts, HoconOrigin origin)
    {
        while (parts.Count > 0 && parts[0].IsSeparator) parts.RemoveAt(0);
        while (parts.Count > 0 && parts[^1].IsSeparator) parts.RemoveAt(parts.Count - 1);
        var values = parts.Where(p => !p.IsSeparator).Select(p => p.Value).ToList();
        if (values.Count == 0) return null;
        if (values.Count == 1) return values[0];

        if (values.All(v => v is HoconArray))
            return new HoconArray(values.SelectMany(v => ((HoconArray)v).Items), origin);
        if (values.All(v => v is HoconObject))
        {
            var merged = (HoconObject)values[0];
            for (int i = 1; i < values.Count; i++) merged = HoconMerge.MergeObjects((HoconObject)values[i], merged);
            return merged;
        }
        var odd = values.FirstOrDefault(v => v is not HoconScalar);
        if (odd is not null)
        {
            var other = values.First(v => v.GetType() != odd.GetType());
            throw new ConfigException(
                $"{origin}: cannot join {odd.Describe()} with {other.Describe()} in one value; text joins with text, lists with " +
                "lists and objects with objects. Quote text, or separate list elements with ',' or a new line", origin);
        }
        var sb = new StringBuilder();
        foreach (var p in parts) sb.Append(((HoconScalar)p.Value).Text);
        return new HoconScalar(HoconScalarKind.String, sb.ToString(), origin);
    }
}
