// One contiguous float buffer with named views (style.md: llm.c). Gradients and AdamW moments use the same class and
// layout, so the optimizer is one flat loop and a checkpoint is the buffer cut at the layout's offsets.
using Orion.Engine.Programs;

namespace Orion.Engine.Model;

public sealed class ModelParameters
{
    public ModelParameters(ParameterLayout layout, float[]? data = null)
    {
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        if (data is not null && data.LongLength != layout.Count)
            throw new ArgumentException($"a buffer of {data.LongLength:N0} floats does not fit model '{layout.Config.Name}' ({layout.Count:N0} parameters)", nameof(data));
        Data = data ?? new float[checked((int)layout.Count)];
    }

    public ParameterLayout Layout { get; }
    public ModelConfig Config => Layout.Config;
    public float[] Data { get; }

    /// <summary>The whole tensor (all layers of a per-layer tensor).</summary>
    public Span<float> this[string name]
    {
        get { var t = Layout[name]; return Data.AsSpan(checked((int)t.Offset), checked((int)t.Size)); }
    }

    /// <summary>Layer <paramref name="layer"/>'s slice of a per-layer tensor.</summary>
    public Span<float> Layer(string name, int layer)
    {
        var t = Layout[name];
        if (!t.PerLayer) throw new ArgumentException($"parameter '{name}' is not per layer", nameof(name));
        if ((uint)layer >= (uint)Config.Layers) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"model '{Config.Name}' has {Config.Layers} layers");
        return Data.AsSpan(checked((int)t.Offset + layer * t.LayerSize), t.LayerSize);
    }

    /// <summary>Offset of a layer's slice in <see cref="Data"/> (for GEMM views).</summary>
    public int OffsetOf(string name, int layer = 0)
    {
        var t = Layout[name];
        return checked((int)t.Offset + (t.PerLayer ? layer * t.LayerSize : 0));
    }

    public ModelParameters Clone() => new(Layout, (float[])Data.Clone());

    public static ModelParameters Zeros(ParameterLayout layout) => new(layout);

    /// <summary>
    /// GPT-2 / llama2.c initialisation: weights N(0, 0.02), output projections of each residual branch N(0, 0.02/sqrt(2L)),
    /// norm gains 1, biases 0. Deterministic for a seed on every machine.
    /// </summary>
    public static ModelParameters Initialize(ModelConfig config, ulong seed)
    {
        var p = new ModelParameters(ParameterLayout.For(config));
        var rng = new SeededRandom(seed);
        float std = 0.02f, residual = 0.02f / MathF.Sqrt(2 * config.Layers);
        foreach (var t in p.Layout.Tensors)
        {
            var view = p[t.Name];
            switch (t.Name)
            {
                case "ln1w" or "ln2w" or "lnfw" or "rms_att" or "rms_ffn" or "rms_final": view.Fill(1f); break;
                case "ln1b" or "ln2b" or "lnfb" or "qkvb" or "attprojb" or "fcb" or "fcprojb": break;
                case "attprojw" or "fcprojw" or "wo" or "w2": rng.FillNormal(view, residual); break;
                default: rng.FillNormal(view, std); break;
            }
        }
        return p;
    }
}
