// program.json: a compiled program's interface — inputs, outputs, shapes, binding order, surface sizes, weight map.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orion.Engine.Compiler;

public sealed record ManifestTensor(string Name, string DType, int[] Shape, int PackedBytes, int SurfaceBytes, int Binding);

public sealed record ProgramManifest(
    string Name,
    string Chip,
    string CompilerVersion,
    IReadOnlyList<ManifestTensor> Inputs,
    IReadOnlyList<ManifestTensor> Outputs,
    IReadOnlyList<WeightLocation> Weights,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Inputs then outputs, each in binding order: what a caller binds surfaces to.</summary>
    public IReadOnlyList<string> BindingOrder => [.. Inputs.Select(i => "in:" + i.Name), .. Outputs.Select(o => "out:" + o.Name)];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ProgramManifest FromJson(string json, string fileName) =>
        JsonSerializer.Deserialize<ProgramManifest>(json, Json)
        ?? throw new FormatException($"{fileName}: empty program manifest (expected the JSON object `orion compile` writes)");
}
