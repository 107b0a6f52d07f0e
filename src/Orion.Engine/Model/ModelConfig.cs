// A model's shape: family, vocabulary, context, depth and width, and the named presets of cli-contract.md.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orion.Engine.Model;

/// <param name="Hidden">FFN width: 4C for GPT-2, the SwiGLU hidden size for Llama.</param>
/// <param name="MaxSeq">Context length: the positional table of GPT-2, the RoPE table and program width of Llama.</param>
public sealed record ModelConfig(string Name, ModelFamily Family, int VocabSize, int MaxSeq, int Layers, int Channels, int Heads, int Hidden,
    float NormEps = 1e-5f, float RopeTheta = 10000f)
{
    public int HeadDim => Channels / Heads;

    public static IReadOnlyDictionary<string, ModelConfig> Presets { get; } = new Dictionary<string, ModelConfig>(StringComparer.Ordinal)
    {
        // A few steps per second on two CPU cores through the emulator: the default of `orion train`.
        ["gpt2-tiny"] = new("gpt2-tiny", ModelFamily.Gpt2, 256, 64, 2, 64, 2, 256),
        // The size where speed is measured (`orion bench train-gpt2-small`).
        ["gpt2-small"] = new("gpt2-small", ModelFamily.Gpt2, 256, 256, 6, 384, 6, 1536),
        // OpenAI's GPT-2 small, as llm.c trains it.
        ["gpt2-124m"] = new("gpt2-124m", ModelFamily.Gpt2, 50257, 1024, 12, 768, 12, 3072),
        ["stories-tiny"] = new("stories-tiny", ModelFamily.Llama, 256, 64, 2, 64, 2, 192),
        // Karpathy's stories110M (llama2.c).
        ["stories-110m"] = new("stories-110m", ModelFamily.Llama, 32000, 256, 12, 768, 12, 2048),
    };

    public static ModelConfig Preset(string name) =>
        Presets.TryGetValue(name ?? throw new ArgumentNullException(nameof(name)), out var c) ? c
            : throw new ArgumentException($"unknown model '{name}'; expected one of {string.Join(", ", Presets.Keys)}", nameof(name));

    /// <summary>Throws naming the field when the shape cannot be built (or cannot run on the ANE's programs).</summary>
    public ModelConfig Validate()
    {
        void Positive(int v, string field) { if (v <= 0) throw new ArgumentException($"model '{Name}': {field} is {v}; expected a positive number"); }
        Positive(VocabSize, "vocab"); Positive(MaxSeq, "seq"); Positive(Layers, "layers"); Positive(Channels, "channels");
        Positive(Heads, "heads"); Positive(Hidden, "hidden");
        if (Channels % Heads != 0)
            throw new ArgumentException($"model '{Name}': {Channels} channels do not split into {Heads} heads (channels must be a multiple of heads)");
        if (Family == ModelFamily.Llama && HeadDim % 2 != 0)
            throw new ArgumentException($"model '{Name}': head size {HeadDim} is odd; RoPE rotates channel pairs, so it must be even");
        if (!(NormEps > 0) || !float.IsFinite(NormEps)) throw new ArgumentException($"model '{Name}': norm eps is {NormEps}; expected a small positive number");
        if (VocabSize > 65536) throw new ArgumentException($"model '{Name}': vocab {VocabSize} does not fit the uint16 token format (at most 65,536)");
        return this;
    }

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) } };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ModelConfig FromJson(string json, string source)
    {
        try
        {
            return (JsonSerializer.Deserialize<ModelConfig>(json, Json) ?? throw new JsonException("null")).Validate();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the model config is not valid JSON for a ModelConfig ({e.Message})", e);
        }
    }

    public JsonElement ToJsonElement() => JsonSerializer.SerializeToElement(this, Json);

    public static ModelConfig FromJsonElement(JsonElement e, string source) => FromJson(e.GetRawText(), source);
}
