// A simple value: string, number, boolean or null. Numbers keep their text as written (HOCON.md "Value concatenation"),
// so "1E-08" stays "1E-08" when read as a string and typed getters parse it on demand.
namespace Orion.Engine.Config;

public sealed class HoconScalar : HoconValue
{
    public HoconScalar(HoconScalarKind kind, string text, HoconOrigin origin) : base(origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        Kind = kind;
        Text = text;
    }

    public HoconScalarKind Kind { get; }

    /// <summary>The string's characters (escapes decoded), or the number, boolean or null as written.</summary>
    public string Text { get; }

    public override bool IsResolved => true;

    internal override HoconValue WithOrigin(HoconOrigin origin) => new HoconScalar(Kind, Text, origin);

    internal override string Describe() => Kind switch
    {
        HoconScalarKind.String => "a string",
        HoconScalarKind.Number => "a number",
        HoconScalarKind.Boolean => "a boolean",
        _ => "null",
    };

    public override string ToString() => Text;
}
