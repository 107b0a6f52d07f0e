// The emulated ANE's execution plan: interprets one MIL function (ane-reference.md sections 4, 6, 7) as the living
// definition of MIL semantics here. Build does all parse-time work; Execute only runs kernels over preallocated buffers.
using System.Diagnostics;
using Orion.Engine.Ane.Emulated.Ops;
using Orion.Engine.Kernels;
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;

namespace Orion.Engine.Ane.Emulated;

internal sealed partial class ExecutionPlan
{
    private readonly PlanTensor[] _inputs;
    private readonly PlanTensor[] _outputs;
    private readonly PlanStep[] _steps;
    private readonly WeightSlot[] _weights;
    private readonly Action[] _bakes;
    private readonly Lock _gate = new();
    private bool _weightsBound;

    private ExecutionPlan(IReadOnlyList<MilBinding> inputs, IReadOnlyList<MilBinding> outputs, PlanTensor[] inputValues,
        PlanTensor[] outputValues, PlanBuilder builder)
    {
        Inputs = inputs;
        Outputs = outputs;
        _inputs = inputValues;
        _outputs = outputValues;
        _steps = [.. builder.Steps];
        _weights = [.. builder.Weights];
        _bakes = [.. builder.Bakes];
        WeightPaths = _weights.Select(w => w.Path).Distinct(StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<MilBinding> Inputs { get; }
    public IReadOnlyList<MilBinding> Outputs { get; }
    public IReadOnlyList<string> WeightPaths { get; }
    public int StepCount => _steps.Length;

    public static ExecutionPlan Build(MilFunction function, ChipProfile profile)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(profile);
        var b = new PlanBuilder(profile);
        var bindings = new Dictionary<string, MilBinding>(StringComparer.Ordinal);
        var inputs = new List<PlanTensor>();
        foreach (var p in function.Parameters)
        {
            var dims = p.Type.EffectiveShape.ToArray();
            var t = new PlanTensor(p.Name, p.Type.ElementType, dims, new float[PlanTensor.ElementCount(dims)]);
            b.Define(t, 0);
            bindings[p.Name] = p;
            inputs.Add(t);
        }
        foreach (var s in function.Statements)
        {
            if (s.Outputs.Count != 1)
                throw new MilException($"{s.Op} declares {s.Outputs.Count} outputs, expected 1", s.Line, 0, "the emulated ops each produce one value");
            b.Begin(s);
            BuildStatement(b);
            bindings[s.Output.Name] = s.Output;
        }
        var outputs = new List<PlanTensor>();
        foreach (var name in function.Outputs)
        {
            if (!bindings.ContainsKey(name))
                throw new MilException($"returned variable '{name}' is not defined", 0, 0, "R14: every returned variable must be a live node");
            outputs.Add(b.Lookup(name, 0));
        }
        return new ExecutionPlan(function.Parameters, function.Outputs.Select(n => bindings[n]).ToArray(), [.. inputs], [.. outputs], b);
    }

    private static void BuildStatement(PlanBuilder b)
    {
        switch (b.Op)
        {
            case "const": ConstOp(b); break;
            case "identity" or "neg" or "sqrt" or "exp" or "relu" or "sigmoid" or "tanh": ElementwiseOps.Unary(b); break;
            case "add" or "sub" or "mul" or "real_div" or "pow": ElementwiseOps.Binary(b); break;
            case "cast": ElementwiseOps.Cast(b); break;
            case "softmax": ReductionOps.Softmax(b); break;
            case "reduce_sum" or "reduce_mean" or "reduce_max": ReductionOps.Reduce(b); break;
            case "reshape": ShapeOps.Reshape(b); break;
            case "transpose": ShapeOps.Transpose(b); break;
            case "slice_by_size": ShapeOps.SliceBySize(b); break;
            case "slice_by_index": ShapeOps.SliceByIndex(b); break;
            case "concat": ShapeOps.Concat(b); break;
            case "conv": ConvOps.Conv(b); break;
            case "matmul": MatmulOps.Matmul(b); break;
            case "quantize": QuantizationOps.Quantize(b); break;
            case "dequantize": QuantizationOps.Dequantize(b); break;
            case "constexpr_affine_dequantize": QuantizationOps.ConstexprAffineDequantize(b); break;
            case "gelu":
                b.Fail("R10: gelu fails to compile on the ANE; use the tanh approximation",
                    "0.5*x*(1+tanh(0.7978845608*(x+0.044715*x^3))) from mul, add, pow and tanh");
                break;
            case "rsqrt":
                b.Fail("rsqrt fails on the ANE; use pow(x, -0.5)", "write pow(x = v, y = fp16(-0.5))");
                break;
            case "scaled_dot_product_attention":
                b.Fail("R06: scaled_dot_product_attention compiles but its attention mask is ignored; write attention by hand",
                    "matmul(q, k, transpose_y = true), mul by 1/sqrt(D), add the mask, softmax, matmul with v");
                break;
            default:
                b.Fail($"unknown op '{b.Op}'", "the emulator runs const, identity, cast, conv, matmul, add, sub, mul, real_div, pow, sqrt, exp, neg, relu, sigmoid, tanh, softmax, reduce_sum/mean/max, reshape, transpose, slice_by_size, slice_by_index, concat, quantize, dequantize, constexpr_affine_dequantize");
                break;
        }
    }

    // const()[name = ..., val = <literal or BLOBFILE>]: evaluated now, or at BindWeights for BLOBFILE data.
    private static void ConstOp(PlanBuilder b)
    {
        b.Allow("val");
        var s = b.Statement;
        var val = s.Attribute("val") ?? s.Argument("val") ?? throw b.Error("missing operand 'val'", "write val = <literal> in the attribute brackets");
        var type = val switch
        {
            MilLiteral l => l.Type,
            MilBlobFile f => f.Type,
            _ => throw b.Error("val must be a literal or BLOBFILE"),
        };
        if (!type.SameAs(s.Output.Type))
            b.Fail($"declared {s.Output.Type} but val is {type}", "make the declared type match the value");
        var t = val is MilLiteral lit ? b.FromLiteral(s.Output.Name, lit) : b.FromBlob(s.Output.Name, (MilBlobFile)val);
        b.Define(t, s.Line);
    }

    public float[][] Execute(IReadOnlyList<float[]> inputs, TextWriter? trace)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != _inputs.Length)
            throw new ArgumentException($"got {inputs.Count} inputs, the function takes {_inputs.Length} ({string.Join(", ", Inputs.Select(i => i.Name))})", nameof(inputs));
        for (int i = 0; i < _inputs.Length; i++)
        {
            var src = inputs[i] ?? throw new ArgumentNullException(nameof(inputs), $"input '{_inputs[i].Name}' is null");
            if (src.Length != _inputs[i].Count)
                throw new ArgumentException($"input '{_inputs[i].Name}' has {src.Length} values, expected {_inputs[i].Count} for {Inputs[i].Type}", nameof(inputs));
        }
        var results = new float[_outputs.Length][];
        Run((i, dst) => inputs[i].CopyTo(dst), (i, values) => results[i] = values.ToArray(), trace);
        return results;
    }

    /// <summary>
    /// Runs the plan without copying through intermediate arrays: <paramref name="writeInput"/>(i, buffer) fills input
    /// i's plan buffer (exactly its element count), <paramref name="readOutput"/>(i, values) reads output i before
    /// the lock is released. The device's Evaluate decodes surfaces straight into the buffers this way.
    /// </summary>
    public void Run(Action<int, Span<float>> writeInput, Action<int, ReadOnlySpan<float>> readOutput, TextWriter? trace)
    {
        ArgumentNullException.ThrowIfNull(writeInput);
        ArgumentNullException.ThrowIfNull(readOutput);
        lock (_gate)
        {
            if (!_weightsBound)
                throw new InvalidOperationException("BindWeights has not been called: weights are baked before the first run (R07); pass an empty dictionary for a weight-free program (R11)");
            for (int i = 0; i < _inputs.Length; i++)
            {
                writeInput(i, _inputs[i].Data);
                if (_inputs[i].DType == DType.Fp16) Fp16Convert.RoundInPlace(_inputs[i].Data);
            }
            foreach (var step in _steps)
            {
                long start = trace is null ? 0 : Stopwatch.GetTimestamp();
                step.Run();
                if (step.Output.DType == DType.Fp16) Fp16Convert.RoundInPlace(step.Output.Data);
                if (trace is not null) WriteTrace(trace, step, Stopwatch.GetElapsedTime(start));
            }
            for (int i = 0; i < _outputs.Length; i++) readOutput(i, _outputs[i].Data);
        }
    }

    private static void WriteTrace(TextWriter trace, PlanStep step, TimeSpan elapsed)
    {
        var inputs = string.Join(", ", step.Inputs.Select(i => $"{i.Name} {i}"));
        trace.WriteLine($"{step.Op} {step.Output.Name} {step.Output} <- {inputs} ({elapsed.TotalMicroseconds:F1}us)");
    }
}
