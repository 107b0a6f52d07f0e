// Build-time context of ExecutionPlan: resolves operands (refs, inline literals, BLOBFILE), reads constant attributes,
// checks declared output types and records steps. Operand names follow coremltools' MIL op definitions (iOS15-18).
using System.Diagnostics.CodeAnalysis;
using Orion.Engine.Kernels;
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;

namespace Orion.Engine.Ane.Emulated;

internal sealed class PlanBuilder(ChipProfile profile)
{
    private readonly Dictionary<string, PlanTensor> _values = new(StringComparer.Ordinal);
    private MilStatement? _statement;

    public ChipProfile Profile { get; } = profile;
    public List<PlanStep> Steps { get; } = [];
    public List<WeightSlot> Weights { get; } = [];
    /// <summary>Constants derived from weights (constexpr ops), recomputed after every BindWeights, in statement order.</summary>
    public List<Action> Bakes { get; } = [];

    public MilStatement Statement => _statement ?? throw new InvalidOperationException("no statement is being built");
    public string Op => Statement.Op;

    public void Begin(MilStatement statement) => _statement = statement;

    public void Define(PlanTensor value, int line)
    {
        if (!_values.TryAdd(value.Name, value))
            throw new MilException($"'{value.Name}' is assigned twice", line, 0, "MIL is SSA: give every statement output a new name");
    }

    public PlanTensor Lookup(string name, int line) =>
        _values.TryGetValue(name, out var v) ? v
        : throw new MilException($"'{name}' is not defined", line, 0, "operands must name a parameter or an earlier statement's output");

    [DoesNotReturn]
    public void Fail(string what, string? hint = null) => throw Error(what, hint);

    public MilException Error(string what, string? hint = null) => new($"{Op} '{Statement.Output.Name}': {what}", Statement.Line, 0, hint);

    /// <summary>Rejects operands this op does not take (the <c>name</c> attribute is always allowed).</summary>
    public void Allow(params string[] operands)
    {
        foreach (var a in Statement.Arguments.Concat(Statement.Attributes))
        {
            if (a.Name == "name" || operands.Contains(a.Name)) continue;
            Fail($"unexpected operand '{a.Name}'", $"{Op} takes {(operands.Length == 0 ? "no operands" : string.Join(", ", operands))}");
        }
    }

    public PlanTensor Input(string name) => OptionalInput(name)
        ?? throw Error($"missing operand '{name}'", $"write {name} = <variable or literal> in the argument list");

    public PlanTensor? OptionalInput(string name)
    {
        var v = Statement.Operand(name);
        return v is null ? null : Resolve(v, name);
    }

    public PlanTensor[] Tuple(string name)
    {
        var v = Statement.Operand(name) ?? throw Error($"missing operand '{name}'", "write values = (a, b, ...)");
        return v is MilTuple t ? t.Items.Select((x, i) => Resolve(x, $"{name}[{i}]")).ToArray() : [Resolve(v, name)];
    }

    public PlanTensor Resolve(MilValue value, string what)
    {
        switch (value)
        {
            case MilRef r: return Lookup(r.Name, Statement.Line);
            case MilLiteral lit: return FromLiteral($"{Statement.Output.Name}.{what}", lit);
            case MilBlobFile blob: return FromBlob($"{Statement.Output.Name}.{what}", blob);
            default: throw Error($"operand '{what}' is a {value.GetType().Name}, expected a variable, literal or BLOBFILE");
        }
    }

    public PlanTensor FromLiteral(string name, MilLiteral lit)
    {
        var dims = lit.Type.EffectiveShape.ToArray();
        var t = lit.Type.ElementType;
        if (t == DType.String) return new PlanTensor(name, t, dims, []) { IsConstant = true, Literal = lit };
        int count = PlanTensor.ElementCount(dims);
        if (lit.Elements.Count != count)
            Fail($"literal {lit.Type} has {lit.Elements.Count} elements, expected {count}");
        var data = new float[count];
        for (int i = 0; i < count; i++)
        {
            data[i] = lit.Elements[i] switch
            {
                bool b => b ? 1f : 0f,
                double d => (float)d,
                long l => l,
                var o => Convert.ToSingle(o, System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        if (t == DType.Fp16) Fp16Convert.RoundInPlace(data);
        return new PlanTensor(name, t, dims, data) { IsConstant = true, Literal = lit };
    }

    public PlanTensor FromBlob(string name, MilBlobFile blob)
    {
        var dims = blob.Type.EffectiveShape.ToArray();
        var t = new PlanTensor(name, blob.Type.ElementType, dims, new float[PlanTensor.ElementCount(dims)]) { IsConstant = true };
        Weights.Add(new WeightSlot(blob.Path, blob.Offset, t, Statement.Line));
        return t;
    }

    // Constant operands read at Build time (axes, perm, flags, strings).

    public MilLiteral? OptionalLiteral(string name)
    {
        var t = OptionalInput(name);
        if (t is null) return null;
        return t.Literal ?? throw Error($"operand '{name}' must be a constant", "use a const op or an inline literal (R12: flags must be named constants)");
    }

    public int[]? OptionalInts(string name) => OptionalLiteral(name)?.AsInts().Select(x => checked((int)x)).ToArray();
    public int[] Ints(string name) => OptionalInts(name) ?? throw Error($"missing operand '{name}'");
    public int Int(string name, int fallback) => OptionalLiteral(name) is { } l ? checked((int)l.AsInt()) : fallback;
    public bool Bool(string name, bool fallback) => OptionalLiteral(name) is { } l ? l.AsBool() : fallback;
    public string String(string name, string fallback) => OptionalLiteral(name) is { } l ? l.AsString() : fallback;

    public bool[]? OptionalBools(string name) => OptionalLiteral(name)?.Elements.Select(e => e is bool b ? b : Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture) != 0).ToArray();

    /// <summary>Normalises a possibly negative axis against <paramref name="rank"/>.</summary>
    public int Axis(int axis, int rank, string what = "axis")
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) Fail($"{what} {axis} is out of range for rank {rank}", $"use -{rank}..{rank - 1}");
        return a;
    }

    public void RequireFloat(PlanTensor t, string what)
    {
        if (!DTypes.IsFloat(t.DType)) Fail($"{what} is {t}, expected fp16 or fp32", "insert a cast");
    }

    /// <summary>Creates the statement's output after checking the declared type matches what the op computes.</summary>
    public PlanTensor Output(DType dtype, int[] dims, bool constant = false)
    {
        var declared = Statement.Output;
        var dShape = declared.Type.EffectiveShape;
        if (declared.Type.ElementType != dtype || !dShape.Dims.SequenceEqual(dims))
            Fail($"declared {declared.Type} but the operands give {DTypes.MilName(dtype)}{PlanTensor.DescribeShape(dims)}",
                "fix the declared output type or the operand shapes");
        var t = new PlanTensor(declared.Name, dtype, dims, new float[PlanTensor.ElementCount(dims)]) { IsConstant = constant };
        Define(t, Statement.Line);
        return t;
    }

    /// <summary>Records a runtime step; the plan rounds fp16 outputs after <paramref name="run"/>.</summary>
    public void Step(PlanTensor output, PlanTensor[] inputs, Action run) =>
        Steps.Add(new PlanStep(Op, Statement.Line, output, inputs, run));
}
