// manifest.json of a checkpoint folder (cli-contract.md, run directory): step, model config, training options, data
// cursor, RNG and loss-scale state, tokenizer, and the sha256 of every file. Written last, so its presence means the
// folder is complete.
using System.Text.Json;
using System.Text.Json.Serialization;
using Orion.Engine.Model.Training;

namespace Orion.Engine.Model.Checkpoints;

public sealed record CheckpointManifest
{
    public const string FormatName = "orion-checkpoint";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = CurrentVersion;
    public long Step { get; init; }
    public long Updates { get; init; }
    public required JsonElement Config { get; init; }
    public TrainingOptions? Training { get; init; }
    public required CheckpointData Data { get; init; }
    public float LossScale { get; init; }
    public int LossScaleCleanSteps { get; init; }
    /// <summary>How text becomes tokens for this model: "byte", "gpt2:DIR" or "llama2c:FILE".</summary>
    public string Tokenizer { get; init; } = "byte";
    public required IReadOnlyDictionary<string, string> Files { get; init; }

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static CheckpointManifest Parse(string json, string path)
    {
        CheckpointManifest? m;
        try
        {
            m = JsonSerializer.Deserialize<CheckpointManifest>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid checkpoint manifest ({e.Message}); the folder may be from an interrupted write — use an earlier checkpoint", e);
        }
        if (m is null) throw new InvalidDataException($"{path}: the manifest is empty");
        if (m.Format != FormatName) throw new InvalidDataException($"{path}: format is '{m.Format}', expected '{FormatName}'");
        if (m.Version != CurrentVersion) throw new InvalidDataException($"{path}: manifest version {m.Version}, this build reads version {CurrentVersion}; use a matching orion");
        if (m.Step < 0) throw new InvalidDataException($"{path}: step is {m.Step}; expected zero or more");
        return m;
    }
}

/// <summary>The data cursor: which data, and the sampler's RNG state and batch count (RNG as a string: JSON numbers lose 64-bit precision in many tools).</summary>
public sealed record CheckpointData(string Source, long Tokens, string SamplerRng, long Batches);
