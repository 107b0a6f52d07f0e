// A model running on one ANE device as public ANE training splits it (ane-reference.md section 9): per layer, the
// forward-attention, forward-FFN and backward-data programs run on the device one sequence at a time; the CPU keeps
// the residual stream, the embedding, the final norm, the tied classifier and cross-entropy, the norms' backward and
// every weight gradient (dW by the blocked GEMM). Programs are compiled when this object is made — after the
// parameters are loaded (compiling first was a cause of NaNs) — and only delta-patched afterwards.
using Orion.Engine.Ane;
using Orion.Engine.Data;
using Orion.Engine.Model.Cpu;

namespace Orion.Engine.Model.Device;

public sealed partial class DeviceModel : IDisposable
{
    private readonly IAneDevice _device;
    private readonly DeviceProgram[][] _programs;      // [layer][kind]
    private readonly Dictionary<string, Matrix>[] _acts; // per layer: saved device outputs and residual inputs
    private readonly Dictionary<(int Rows, int Slot), Matrix> _scratch = [];

    /// <param name="training">Compile the backward-data programs too (forward-only models compile half as many).</param>
    /// <param name="cache">The persistent program cache, when programs may come from it (a cluster worker's).</param>
    public DeviceModel(IAneDevice device, ModelParameters parameters, int batch, int seq, bool training = true, LoraShape? lora = null, ProgramCache? cache = null)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        Parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
        var c = parameters.Config;
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be positive");
        if (seq <= 0 || seq > c.MaxSeq) throw new ArgumentOutOfRangeException(nameof(seq), seq, $"seq must be in 1..{c.MaxSeq} (model '{c.Name}' context)");
        if (training && lora is not null) throw new ArgumentException("LoRA adapters are for inference here; training updates the base weights", nameof(lora));
        Batch = batch;
        Seq = seq;
        Training = training;
        Lora = lora;
        var kinds = training ? Enum.GetValues<ProgramKind>() : [ProgramKind.ForwardAttention, ProgramKind.ForwardFfn];
        _programs = new DeviceProgram[c.Layers][];
        _acts = new Dictionary<string, Matrix>[c.Layers];
        try
        {
            for (int l = 0; l < c.Layers; l++)
            {
                _acts[l] = [];
                _programs[l] = new DeviceProgram[4];
                foreach (var k in kinds)
                    _programs[l][(int)k] = DeviceProgram.Compile(device, parameters, k, l, seq, k == ProgramKind.ForwardAttention ? lora : null, cache);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
        if (lora is not null) SetAdapter(null);
    }

    public ModelParameters Parameters { get; }
    public ModelConfig Config => Parameters.Config;
    public int Batch { get; private set; }
    public int Seq { get; }
    public bool Training { get; }
    public LoraShape? Lora { get; }
    public int Positions => Batch * Seq;
    public IAneDevice Device => _device;

    public IEnumerable<DeviceProgram> Programs => _programs.SelectMany(p => p).Where(p => p is not null);

    /// <summary>Delta-patches every program with the current parameters (after an optimizer step). Returns files rewritten.</summary>
    public int PatchWeights() => Programs.Sum(p => p.Patch(Parameters));

    private DeviceProgram Program(int layer, ProgramKind kind) =>
        _programs[layer][(int)kind] ?? throw new InvalidOperationException($"the {kind} program was not compiled (this model was made for inference)");

    private Matrix Act(int layer, string name, int rows)
    {
        if (!_acts[layer].TryGetValue(name, out var m)) _acts[layer][name] = m = new Matrix(rows, Positions);
        return m;
    }

    /// <summary>A reusable (rows, N) buffer; distinct slots never alias.</summary>
    private Matrix Scratch(int rows, int slot = 0)
    {
        if (!_scratch.TryGetValue((rows, slot), out var m)) _scratch[(rows, slot)] = m = new Matrix(rows, Positions);
        return m;
    }

    /// <summary>Runs <paramref name="program"/> once per sequence: inputs read from, outputs written to, (rows, N) matrices.</summary>
    private void RunSequences(DeviceProgram program, (string Name, Matrix Source)[] inputs, (string Name, Matrix Target)[] outputs)
    {
        for (int b = 0; b < Batch; b++)
        {
            int col0 = b * Seq;
            foreach (var (name, m) in inputs) program.SetInput(name, m, col0);
            program.Run();
            foreach (var (name, m) in outputs) program.GetOutput(name, m, col0);
        }
    }

    private void CheckBatch(int[] inputs, int[]? targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length != Positions) throw new ArgumentException($"expected {Batch} x {Seq} = {Positions} tokens, got {inputs.Length}", nameof(inputs));
        if (targets is not null && targets.Length != Positions) throw new ArgumentException($"expected {Positions} targets, got {targets.Length}", nameof(targets));
        foreach (var t in inputs.Concat(targets ?? []))
            if ((uint)t >= (uint)Config.VocabSize) throw new ArgumentException($"token {t} is outside the model's vocabulary (0..{Config.VocabSize - 1})", nameof(inputs));
    }

    /// <summary>Loss of one batch and, into <paramref name="grads"/> (zeroed here), the gradient of loss * lossScale.</summary>
    public double ForwardBackward(Batch batch, ModelParameters grads, float lossScale)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(grads);
        if (!Training) throw new InvalidOperationException("this model was compiled for inference; it has no backward programs");
        Resize(batch.BatchSize, batch.Seq);
        CheckBatch(batch.Inputs, batch.Targets);
        Array.Clear(grads.Data);
        var x = Forward(batch.Inputs);
        var (loss, dx) = HeadForwardBackward(x, batch.Targets, grads, lossScale);
        for (int l = Config.Layers - 1; l >= 0; l--)
        {
            if (Config.Family == ModelFamily.Gpt2) Gpt2LayerBackward(l, dx, grads); else LlamaLayerBackward(l, dx, grads);
        }
        EmbeddingBackward(batch.Inputs, dx, grads);
        return loss;
    }

    // Programs run one sequence at a time, so only the host buffers depend on the batch size: a cluster worker computes
    // shards of different sizes (a reassigned shard, an uneven split) with the same compiled programs.
    private void Resize(int batch, int seq)
    {
        if (seq != Seq) throw new ArgumentException($"the batch has sequences of {seq} tokens, but the programs were compiled for {Seq}", nameof(seq));
        if (batch == Batch) return;
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be positive");
        Batch = batch;
        _scratch.Clear();
        foreach (var acts in _acts) acts.Clear();
    }

    /// <summary>Mean cross-entropy of a batch (forward only).</summary>
    public double Loss(int[] inputs, int[] targets)
    {
        CheckBatch(inputs, targets);
        var logits = HeadLogits(Forward(inputs));
        return Classifier.CrossEntropy(logits, Config.VocabSize, targets, null);
    }

    /// <summary>Logits (N, V), N = Batch * Seq positions in (b, t) order.</summary>
    public float[] Logits(int[] inputs)
    {
        CheckBatch(inputs, null);
        return HeadLogits(Forward(inputs));
    }

    // tokens -> residual stream (C, N) after the last layer; every layer's activations are cached for the backward.
    private Matrix Forward(int[] inputs)
    {
        var x = Scratch(Config.Channels, 100);
        EmbeddingForward(inputs, x);
        for (int l = 0; l < Config.Layers; l++) LayerForward(l, x);
        return x;
    }

    public void Dispose()
    {
        foreach (var layer in _programs)
            if (layer is not null) foreach (var p in layer) p?.Dispose();
    }
}
