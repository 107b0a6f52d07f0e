// One layer program compiled once and kept loaded; new weights arrive by delta patch (ane-reference.md section 3):
// the graph is rebuilt from the current parameters and lowered on the host, the MIL must be unchanged (same program),
// and only the weight files whose bytes changed are rewritten on the device. The device compiles nothing.
using Orion.Engine.Ane;
using Orion.Engine.Compiler;
using Orion.Engine.Model.Cpu;

namespace Orion.Engine.Model.Device;

public sealed class DeviceProgram : IDisposable
{
    private readonly IAneDevice _device;
    private readonly CompilerOptions _options;
    private readonly AneSession _session;
    private readonly float[] _block;
    private readonly string _milText;
    private IReadOnlyDictionary<string, byte[]> _weights;

    private DeviceProgram(IAneDevice device, CompilerOptions options, ProgramKind kind, int layer, int seq, LoraShape? lora, CompiledProgram compiled, ProgramCache? cache)
    {
        _device = device;
        _options = options;
        Kind = kind;
        Layer = layer;
        Seq = seq;
        Lora = lora;
        _milText = compiled.MilText;
        _weights = compiled.Weights;
        if (cache is null) Program = device.Compile(compiled.ToSource());
        else
        {
            var found = cache.GetOrCompile(device, compiled.ToSource());
            (Program, CacheOutcome) = (found.Program, found.Outcome);
        }
        try
        {
            device.Load(Program);
            // A cached program carries whatever weights it was saved with: bring every file up to these parameters.
            if (CacheOutcome == Ane.CacheOutcome.Hit) device.PatchWeights(Program, compiled.Weights);
            _session = new AneSession(device, Program);
        }
        catch
        {
            device.Release(Program);
            throw;
        }
        int widest = Program.Inputs.Concat(Program.Outputs).Max(b => (int)b.Type.EffectiveShape.ElementCount);
        _block = new float[widest];
    }

    public ProgramKind Kind { get; }
    public int Layer { get; }
    public int Seq { get; }
    public LoraShape? Lora { get; }
    public AneProgram Program { get; }

    /// <summary>How the program was obtained from the program cache; null when compiled without one.</summary>
    public CacheOutcome? CacheOutcome { get; }

    /// <summary>Weight files rewritten by patches so far (unchanged files are skipped).</summary>
    public long PatchedFiles { get; private set; }

    public static CompilerOptions OptionsFor(IAneDevice device, ModelConfig config) =>
        // Every parameter must live in a weight file (an inlined one could not be patched): the smallest is C long.
        new() { Profile = device.Profile, InlineConstantLimit = Math.Min(64, config.Channels) };

    /// <param name="cache">When given, the program comes from the persistent program cache (compiled only on a miss).</param>
    public static DeviceProgram Compile(IAneDevice device, ModelParameters p, ProgramKind kind, int layer, int seq, LoraShape? lora = null, ProgramCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(p);
        var options = OptionsFor(device, p.Config);
        var compiled = OrionCompiler.Compile(LayerPrograms.Build(p, kind, layer, seq, lora), options);
        return new DeviceProgram(device, options, kind, layer, seq, lora, compiled, cache);
    }

    /// <summary>Brings the program's baked weights up to <paramref name="p"/> without a device compile.</summary>
    public int Patch(ModelParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var compiled = OrionCompiler.Compile(LayerPrograms.Build(p, Kind, Layer, Seq, Lora), _options);
        if (!string.Equals(compiled.MilText, _milText, StringComparison.Ordinal))
            throw new InvalidOperationException($"program '{Program.Id}' ({Kind}, layer {Layer}): the new weights change the MIL text, so a delta patch cannot apply (a parameter was inlined or the shape changed); recompile instead");
        var changed = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, bytes) in compiled.Weights)
            if (!_weights.TryGetValue(path, out var old) || !old.AsSpan().SequenceEqual(bytes)) changed[path] = bytes;
        if (changed.Count > 0) _device.PatchWeights(Program, changed);
        _weights = compiled.Weights;
        PatchedFiles += changed.Count;
        return changed.Count;
    }

    /// <summary>Sets an input from columns [col0, col0 + Seq) of a (rows, N) matrix.</summary>
    public void SetInput(string name, Matrix source, int col0)
    {
        int n = source.Rows * Seq;
        source.ReadBlock(col0, Seq, _block.AsSpan(0, n));
        _session.SetInput(name, _block.AsSpan(0, n));
    }

    /// <summary>Sets an input from packed values (LoRA matrices, whole blocks).</summary>
    public void SetInput(string name, ReadOnlySpan<float> values) => _session.SetInput(name, values);

    public void Run() => _session.Run();

    /// <summary>Writes an output into columns [col0, col0 + Seq) of a (rows, N) matrix.</summary>
    public void GetOutput(string name, Matrix target, int col0) => target.WriteBlock(col0, Seq, _session.GetOutput(name));

    public float[] GetOutput(string name) => _session.GetOutput(name);

    public void Dispose()
    {
        _session.Dispose();
        _device.Release(Program);
    }
}
