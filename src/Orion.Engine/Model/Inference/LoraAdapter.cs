// LoRA adapters (Hu et al. 2021): W' = W + (alpha / r) B A per targeted projection, q and v by default. Stored as a
// folder with adapter.safetensors ("layers.L.T.a" [r, C], "layers.L.T.b" [C, r]; rank, alpha and targets in metadata).
// On the device they are inputs of the forward-attention programs, so changing adapters never recompiles.
using System.Globalization;
using Orion.Engine.IO;
using Orion.Engine.Programs;

namespace Orion.Engine.Model.Inference;

public sealed class LoraAdapter
{
    public const string FileName = "adapter.safetensors";
    public static IReadOnlyList<string> DefaultTargets { get; } = ["q", "v"];

    private readonly Dictionary<(int Layer, string Target), (float[] A, float[] B)> _weights;

    public LoraAdapter(ModelConfig config, int rank, float alpha, IReadOnlyList<string> targets, Dictionary<(int, string), (float[] A, float[] B)> weights)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        Rank = rank;
        Alpha = alpha;
        Targets = targets;
        new Device.LoraShape(rank, targets).Validate();
        _weights = weights ?? throw new ArgumentNullException(nameof(weights));
        int c = config.Channels;
        for (int l = 0; l < config.Layers; l++)
            foreach (var t in targets)
            {
                if (!weights.TryGetValue((l, t), out var w)) throw new ArgumentException($"the adapter has no weights for layer {l} target '{t}'");
                if (w.A.Length != rank * c || w.B.Length != c * rank)
                    throw new ArgumentException($"adapter layer {l} target '{t}': A has {w.A.Length} values, B {w.B.Length}; rank {rank} at width {c} needs {rank * c} each");
            }
    }

    public ModelConfig Config { get; }
    public int Rank { get; }
    public float Alpha { get; }
    public IReadOnlyList<string> Targets { get; }
    public float Scale => Alpha / Rank;
    public Device.LoraShape Shape => new(Rank, Targets);

    public (float[] A, float[] B) Weights(int layer, string target) => _weights[(layer, target)];

    /// <summary>A random adapter (A and B both non-zero, so it visibly changes outputs): tests and demos.</summary>
    public static LoraAdapter Random(ModelConfig config, int rank, float alpha, ulong seed, IReadOnlyList<string>? targets = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var r = new SeededRandom(seed);
        var w = new Dictionary<(int, string), (float[] A, float[] B)>();
        var ts = targets ?? DefaultTargets;
        for (int l = 0; l < config.Layers; l++)
            foreach (var t in ts)
                w[(l, t)] = (r.Uniform(rank * config.Channels, 1f / MathF.Sqrt(config.Channels)), r.Uniform(config.Channels * rank, 0.05f));
        return new LoraAdapter(config, rank, alpha, ts, w);
    }

    /// <summary>The base weights with every adapter product added in (the reference LoRA-as-inputs must match).</summary>
    public ModelParameters Merge(ModelParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var merged = p.Clone();
        int c = Config.Channels;
        for (int l = 0; l < Config.Layers; l++)
            foreach (var t in Targets)
            {
                var (name, row0) = Projection(t);
                var w = merged.Layer(name, l).Slice(row0 * c, c * c);
                var (a, b) = _weights[(l, t)];
                for (int o = 0; o < c; o++)
                    for (int i = 0; i < c; i++)
                    {
                        float s = 0;
                        for (int k = 0; k < Rank; k++) s += b[o * Rank + k] * a[k * c + i];
                        w[o * c + i] += Scale * s;
                    }
            }
        return merged;
    }

    // Which (out, in) block of which parameter a target adapts.
    private (string Name, int RowStart) Projection(string target) => (Config.Family, target) switch
    {
        (ModelFamily.Gpt2, "q") => ("qkvw", 0),
        (ModelFamily.Gpt2, "k") => ("qkvw", Config.Channels),
        (ModelFamily.Gpt2, "v") => ("qkvw", 2 * Config.Channels),
        (ModelFamily.Gpt2, "o") => ("attprojw", 0),
        (ModelFamily.Llama, "q") => ("wq", 0),
        (ModelFamily.Llama, "k") => ("wk", 0),
        (ModelFamily.Llama, "v") => ("wv", 0),
        (ModelFamily.Llama, "o") => ("wo", 0),
        _ => throw new ArgumentException($"LoRA target '{target}' is not a projection"),
    };

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        var tensors = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
        foreach (var ((l, t), (a, b)) in _weights)
        {
            tensors[$"layers.{l}.{t}.a"] = SafeTensor.Float32([Rank, Config.Channels], a);
            tensors[$"layers.{l}.{t}.b"] = SafeTensor.Float32([Config.Channels, Rank], b);
        }
        SafeTensors.Write(Path.Combine(folder, FileName), tensors, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["rank"] = Rank.ToString(CultureInfo.InvariantCulture),
            ["alpha"] = Alpha.ToString("R", CultureInfo.InvariantCulture),
            ["targets"] = string.Join(",", Targets),
        });
    }

    public static LoraAdapter Load(string folderOrFile, ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var path = Directory.Exists(folderOrFile) ? Path.Combine(folderOrFile, FileName) : folderOrFile;
        if (!File.Exists(path)) throw new FileNotFoundException($"--lora '{folderOrFile}': no {FileName} there; expected an adapter folder", path);
        var content = SafeTensors.Read(path);
        string Meta(string key) => content.Metadata.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"{path}: metadata has no '{key}'; an adapter records rank, alpha and targets");
        if (!int.TryParse(Meta("rank"), NumberStyles.None, CultureInfo.InvariantCulture, out var rank) || rank <= 0)
            throw new InvalidDataException($"{path}: rank '{Meta("rank")}' is not a positive whole number");
        if (!float.TryParse(Meta("alpha"), NumberStyles.Float, CultureInfo.InvariantCulture, out var alpha) || !float.IsFinite(alpha))
            throw new InvalidDataException($"{path}: alpha '{Meta("alpha")}' is not a finite number");
        var targets = Meta("targets").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var w = new Dictionary<(int, string), (float[] A, float[] B)>();
        for (int l = 0; l < config.Layers; l++)
            foreach (var t in targets)
            {
                SafeTensor Get(string n, long rows, long cols)
                {
                    if (!content.Tensors.TryGetValue(n, out var st)) throw new InvalidDataException($"{path}: tensor '{n}' is missing for model '{config.Name}' ({config.Layers} layers)");
                    if (!st.Shape.SequenceEqual([rows, cols])) throw new InvalidDataException($"{path}: tensor '{n}' has shape [{string.Join(", ", st.Shape)}], expected [{rows}, {cols}] (rank {rank}, width {config.Channels}); the adapter was made for another model");
                    return st;
                }
                w[(l, t)] = (Get($"layers.{l}.{t}.a", rank, config.Channels).ToFloat32(), Get($"layers.{l}.{t}.b", config.Channels, rank).ToFloat32());
            }
        try
        {
            return new LoraAdapter(config, rank, alpha, targets, w);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}
