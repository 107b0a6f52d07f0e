// Where every parameter tensor lives in the one contiguous buffer (style.md: llm.c's named views). The order is the
// file order of llm.c (GPT-2) and llama2.c (Llama), so importers copy tensors in sequence. Per-layer tensors are
// stacked: shape (L, ...), layer l at Offset + l * LayerSize.
namespace Orion.Engine.Model;

public sealed record ParameterTensor(string Name, int[] Shape, long Offset, bool PerLayer)
{
    public long Size => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>Elements of one layer's slice (the whole tensor when not per layer).</summary>
    public int LayerSize => checked((int)(PerLayer ? Size / Shape[0] : Size));
}

public sealed class ParameterLayout
{
    private readonly Dictionary<string, ParameterTensor> _byName;

    private ParameterLayout(ModelConfig config, IReadOnlyList<ParameterTensor> tensors)
    {
        Config = config;
        Tensors = tensors;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Count = tensors.Sum(t => t.Size);
    }

    public ModelConfig Config { get; }
    public IReadOnlyList<ParameterTensor> Tensors { get; }
    public long Count { get; }

    public ParameterTensor this[string name] => _byName.TryGetValue(name, out var t) ? t
        : throw new KeyNotFoundException($"model '{Config.Name}' has no parameter '{name}'; it has {string.Join(", ", _byName.Keys)}");

    public bool Contains(string name) => _byName.ContainsKey(name);

    public static ParameterLayout For(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        int v = config.VocabSize, t = config.MaxSeq, l = config.Layers, c = config.Channels, h = config.Hidden;
        var shapes = config.Family switch
        {
            ModelFamily.Gpt2 => new (string, int[], bool)[]
            {
                ("wte", [v, c], false), ("wpe", [t, c], false),
                ("ln1w", [l, c], true), ("ln1b", [l, c], true),
                ("qkvw", [l, 3 * c, c], true), ("qkvb", [l, 3 * c], true),
                ("attprojw", [l, c, c], true), ("attprojb", [l, c], true),
                ("ln2w", [l, c], true), ("ln2b", [l, c], true),
                ("fcw", [l, h, c], true), ("fcb", [l, h], true),
                ("fcprojw", [l, c, h], true), ("fcprojb", [l, c], true),
                ("lnfw", [c], false), ("lnfb", [c], false),
            },
            ModelFamily.Llama => new (string, int[], bool)[]
            {
                ("tok_embeddings", [v, c], false),
                ("rms_att", [l, c], true),
                ("wq", [l, c, c], true), ("wk", [l, c, c], true), ("wv", [l, c, c], true), ("wo", [l, c, c], true),
                ("rms_ffn", [l, c], true),
                ("w1", [l, h, c], true), ("w2", [l, c, h], true), ("w3", [l, h, c], true),
                ("rms_final", [c], false),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Family, "unknown model family"),
        };
        long offset = 0;
        var tensors = new List<ParameterTensor>();
        foreach (var (name, shape, perLayer) in shapes)
        {
            var p = new ParameterTensor(name, shape, offset, perLayer);
            tensors.Add(p);
            offset += p.Size;
        }
        return new ParameterLayout(config, tensors);
    }

    /// <summary>The token embedding, which is also the classifier (tied weights in both families).</summary>
    public string Embedding => Config.Family == ModelFamily.Gpt2 ? "wte" : "tok_embeddings";
}
