// Builds MIL function trees in memory for emulator tests (the parser lives elsewhere); statements get source lines 2, 3, ...
using Orion.Engine.Mil;
using Orion.Engine.Tensors;

namespace Orion.Engine.Tests.TestSupport;

internal sealed class MilBuilder
{
    private readonly List<MilBinding> _parameters = [];
    private readonly List<MilStatement> _statements = [];

    /// <summary>Line of the most recently added statement.</summary>
    public int LastLine => _statements.Count + 1;

    public MilBuilder Input(string name, DType dtype, params int[] dims)
    {
        _parameters.Add(new MilBinding(name, MilType.Tensor(dtype, dims)));
        return this;
    }

    /// <summary><c>tensor&lt;dtype, dims&gt; name = op(args)[name = string("name")];</c>, args as (operand, value) pairs.</summary>
    public MilBuilder Op(string name, MilType type, string op, params (string Name, object Value)[] args) =>
        Add(name, type, op, args, []);

    /// <summary>An op whose operands sit in the attribute brackets (const, constexpr_*).</summary>
    public MilBuilder AttrOp(string name, MilType type, string op, params (string Name, object Value)[] attributes) =>
        Add(name, type, op, [], attributes);

    public MilBuilder Const(string name, MilLiteral value) => AttrOp(name, value.Type, "const", ("val", value));

    private MilBuilder Add(string name, MilType type, string op, (string Name, object Value)[] args, (string Name, object Value)[] attributes)
    {
        var attrs = attributes.Select(a => new MilArgument(a.Name, Value(a.Value))).Prepend(new MilArgument("name", MilLiteral.String(name))).ToList();
        _statements.Add(new MilStatement([new MilBinding(name, type)], op, args.Select(a => new MilArgument(a.Name, Value(a.Value))).ToList(), attrs)
        {
            Line = _statements.Count + 2,
        });
        return this;
    }

    public MilFunction Build(params string[] outputs) => new("main", "ios18", _parameters.ToArray(), _statements.ToArray(), outputs);

    /// <summary>Strings name variables; MilValues pass through; ints, bools, int[] and bool[] become literals.</summary>
    public static MilValue Value(object v) => v switch
    {
        MilValue m => m,
        string s => new MilRef(s),
        int i => MilLiteral.Int32(i),
        bool b => MilLiteral.Bool(b),
        int[] a => MilLiteral.Int32s(a),
        bool[] a => new MilLiteral(MilType.Tensor(DType.Bool, a.Length), a.Select(x => (object)x).ToArray()),
        string[] refs => new MilTuple(refs.Select(r => (MilValue)new MilRef(r)).ToArray()),
        _ => throw new ArgumentException($"cannot turn {v.GetType().Name} into a MIL value"),
    };

    public static MilType T(DType dtype, params int[] dims) => MilType.Tensor(dtype, dims);
    public static MilType F16(params int[] dims) => MilType.Tensor(DType.Fp16, dims);
    public static MilType F32(params int[] dims) => MilType.Tensor(DType.Fp32, dims);

    public static MilLiteral Str(string s) => MilLiteral.String(s);

    public static MilLiteral Tensor(DType dtype, int[] dims, IEnumerable<double> values) =>
        new(MilType.Tensor(dtype, dims), dtype is DType.Fp16 or DType.Fp32
            ? values.Select(x => (object)x).ToArray()
            : values.Select(x => (object)(long)x).ToArray());
}
