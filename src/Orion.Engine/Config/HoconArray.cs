// A HOCON array ("list" in messages): elements in order, each with its own origin.
namespace Orion.Engine.Config;

public sealed class HoconArray : HoconValue
{
    private readonly bool _resolved;

    public HoconArray(IEnumerable<HoconValue> items, HoconOrigin origin) : base(origin)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items.ToArray();
        _resolved = Items.All(i => i.IsResolved);
    }

    public IReadOnlyList<HoconValue> Items { get; }

    public override bool IsResolved => _resolved;

    internal override HoconValue WithOrigin(HoconOrigin origin) => new HoconArray(Items, origin);

    internal override string Describe() => "a list";
}
