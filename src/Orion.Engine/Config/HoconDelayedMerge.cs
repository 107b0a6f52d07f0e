// A merge that must wait for resolution: an object written over (or under) a substitution, e.g. a = ${base} then
// a { x = 1 }. Items are in priority order; resolution merges objects and stops at the first non-object.
namespace Orion.Engine.Config;

internal sealed class HoconDelayedMerge : HoconValue
{
    public HoconDelayedMerge(IReadOnlyList<HoconValue> items, HoconOrigin origin) : base(origin) => Items = items;

    /// <summary>Highest priority first.</summary>
    public IReadOnlyList<HoconValue> Items { get; }

    public override bool IsResolved => false;

    internal override HoconValue WithOrigin(HoconOrigin origin) => new HoconDelayedMerge(Items, origin);

    internal override string Describe() => "a merge of substituted values";

    /// <summary>later over earlier, flattening nested delayed merges so chains of += stay one level deep.</summary>
    public static HoconDelayedMerge Of(HoconValue later, HoconValue earlier)
    {
        var items = new List<HoconValue>();
        if (later is HoconDelayedMerge l) items.AddRange(l.Items); else items.Add(later);
        if (earlier is HoconDelayedMerge e) items.AddRange(e.Items); else items.Add(earlier);
        return new HoconDelayedMerge(items, later.Origin);
    }
}
