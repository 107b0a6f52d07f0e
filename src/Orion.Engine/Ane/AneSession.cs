// Runs a loaded program with surfaces allocated once and reused (ane-reference.md section 2: a request is built
// once and reused), converting between float values and each tensor's dtype.
using Orion.Engine.Tensors;

namespace Orion.Engine.Ane;

public sealed class AneSession : IDisposable
{
    private readonly IAneDevice _device;
    private readonly AneSurface[] _inputs;
    private readonly AneSurface[] _outputs;

    public AneSession(IAneDevice device, AneProgram program) : this(device, program, program?.Surfaces!) { }

    /// <summary>Surfaces of the given sizes instead of the program's plan (`orion doctor` probing R04 and R18).</summary>
    public AneSession(IAneDevice device, AneProgram program, SurfacePlan sizes)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        Program = program ?? throw new ArgumentNullException(nameof(program));
        ArgumentNullException.ThrowIfNull(sizes);
        _inputs = sizes.InputBytes.Select(device.CreateSurface).ToArray();
        _outputs = sizes.OutputBytes.Select(device.CreateSurface).ToArray();
    }

    public AneProgram Program { get; }

    public void SetInput(string name, ReadOnlySpan<float> values)
    {
        int i = Index(Program.Inputs, name, "input");
        var t = Program.Inputs[i].Type;
        long n = t.EffectiveShape.ElementCount;
        if (values.Length != n) throw new ArgumentException($"input '{name}' is {t} ({n} values), got {values.Length} values", nameof(values));
        _inputs[i].Write(TensorCodec.Encode(values, t.ElementType));
    }

    public void Run() => _device.Evaluate(Program, _inputs, _outputs);

    public float[] GetOutput(string name)
    {
        int i = Index(Program.Outputs, name, "output");
        var t = Program.Outputs[i].Type;
        var bytes = new byte[SurfacePlan.PackedBytes(t)];
        _outputs[i].Read(bytes);
        return TensorCodec.Decode(bytes, t.ElementType);
    }

    /// <summary>Sets every input, evaluates, and returns every output by name.</summary>
    public Dictionary<string, float[]> Run(IReadOnlyDictionary<string, float[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var b in Program.Inputs)
        {
            if (!inputs.TryGetValue(b.Name, out var v)) throw new ArgumentException($"input '{b.Name}' ({b.Type}) is missing", nameof(inputs));
            SetInput(b.Name, v);
        }
        Run();
        return Program.Outputs.ToDictionary(o => o.Name, o => GetOutput(o.Name));
    }

    private static int Index(IReadOnlyList<Mil.MilBinding> list, string name, string kind)
    {
        for (int i = 0; i < list.Count; i++) if (list[i].Name == name) return i;
        throw new ArgumentException($"the program has no {kind} '{name}'; its {kind}s are {string.Join(", ", list.Select(b => b.Name))}", nameof(name));
    }

    public void Dispose()
    {
        foreach (var s in _inputs.Concat(_outputs)) s.Dispose();
    }
}
