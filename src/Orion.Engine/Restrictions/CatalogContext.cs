// What a static catalog check sees: the MIL function, its weight files, the chip profile, and type/const lookups.
using Orion.Engine.Mil;

namespace Orion.Engine.Restrictions;

public sealed class CatalogContext
{
    private readonly Dictionary<string, MilType> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MilStatement> _producers = new(StringComparer.Ordinal);

    public CatalogContext(MilFunction function, IReadOnlyDictionary<string, byte[]>? weightFiles, ChipProfile profile)
    {
        Function = function;
        WeightFiles = weightFiles;
        Profile = profile;
        foreach (var p in function.Parameters) _types[p.Name] = p.Type;
        foreach (var s in function.Statements)
            foreach (var o in s.Outputs)
            {
                _types[o.Name] = o.Type;
                _producers[o.Name] = s;
            }
    }

    public MilFunction Function { get; }
    public IReadOnlyDictionary<string, byte[]>? WeightFiles { get; }
    public ChipProfile Profile { get; }

    public MilType? TypeOf(MilValue? v) => v switch
    {
        MilRef r => _types.GetValueOrDefault(r.Name),
        MilLiteral l => l.Type,
        MilBlobFile b => b.Type,
        _ => null,
    };

    public bool IsParameter(string name) => Function.Parameters.Any(p => p.Name == name);

    /// <summary>True when the value is known at compile time: an inline literal, a BLOBFILE, or a reference to a const statement.</summary>
    public bool IsConstant(MilValue? v) => v switch
    {
        MilLiteral or MilBlobFile => true,
        MilRef r => _producers.TryGetValue(r.Name, out var s) && s.Op is "const" or "constexpr_affine_dequantize",
        _ => false,
    };

    public IEnumerable<(MilStatement Statement, MilBlobFile Blob)> Blobs()
    {
        foreach (var s in Function.Statements)
            foreach (var a in s.Arguments.Concat(s.Attributes))
                if (a.Value is MilBlobFile b) yield return (s, b);
    }
}
