// Checkpoint folders (cli-contract.md): model.safetensors (weights, readable by other tools; the model config in its
// metadata so the file alone is loadable), optimizer.safetensors (AdamW moments) and manifest.json (written last).
// The folder is assembled under a temporary name, every file fsynced, then renamed into place.
using System.Globalization;
using System.Security.Cryptography;
using Orion.Engine.Data;
using Orion.Engine.IO;
using Orion.Engine.Model.Training;

namespace Orion.Engine.Model.Checkpoints;

public static class Checkpoint
{
    public const string ModelFile = "model.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";
    public const string ManifestFile = "manifest.json";
    public const string ConfigMetadataKey = "orion.config";

    public static string FolderName(long step) => $"step-{step.ToString("D6", CultureInfo.InvariantCulture)}";

    /// <summary>Writes a complete checkpoint of <paramref name="state"/> to <paramref name="folder"/> (replacing one there).</summary>
    public static void Save(string folder, TrainingState state, TrainingOptions? options, string dataSource, long dataTokens, string tokenizer)
    {
        ArgumentNullException.ThrowIfNull(state);
        var full = Path.GetFullPath(folder);
        var temp = full + ".tmp";
        if (Directory.Exists(temp)) Directory.Delete(temp, true);
        Directory.CreateDirectory(temp);
        var model = ModelTensors(state.Parameters);
        var optimizer = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
        foreach (var t in state.Parameters.Layout.Tensors)
        {
            optimizer["m." + t.Name] = SafeTensor.Float32(t.Shape.Select(d => (long)d).ToArray(), state.M[t.Name]);
            optimizer["v." + t.Name] = SafeTensor.Float32(t.Shape.Select(d => (long)d).ToArray(), state.V[t.Name]);
        }
        var modelBytes = SafeTensors.Serialize(model, ModelMetadata(state.Config));
        var optimizerBytes = SafeTensors.Serialize(optimizer);
        AtomicFile.WriteAllBytes(Path.Combine(temp, ModelFile), modelBytes);
        Diagnostics.CrashPoints.Hit("checkpoint-write"); // kill -9 tests: half a checkpoint on disk
        AtomicFile.WriteAllBytes(Path.Combine(temp, OptimizerFile), optimizerBytes);
        var manifest = new CheckpointManifest
        {
            Step = state.Step,
            Updates = state.Updates,
            Config = state.Config.ToJsonElement(),
            Training = options,
            Data = new CheckpointData(dataSource, dataTokens, state.Sampler.Rng.ToString(CultureInfo.InvariantCulture), state.Sampler.Batches),
            LossScale = state.Scaler.Scale,
            LossScaleCleanSteps = state.Scaler.CleanSteps,
            Tokenizer = tokenizer,
            Files = new SortedDictionary<string, string>(StringComparer.Ordinal) { [ModelFile] = Sha256(modelBytes), [OptimizerFile] = Sha256(optimizerBytes) },
        };
        AtomicFile.WriteAllText(Path.Combine(temp, ManifestFile), manifest.ToJson());
        if (Directory.Exists(full))
        {
            var old = full + ".old";
            if (Directory.Exists(old)) Directory.Delete(old, true);
            Directory.Move(full, old);
            Directory.Move(temp, full);
            AtomicFile.SyncDirectory(Path.GetDirectoryName(full)!);
            Directory.Delete(old, true);
        }
        else
        {
            Directory.Move(temp, full);
            AtomicFile.SyncDirectory(Path.GetDirectoryName(full)!);
        }
    }

    /// <summary>Weights only (an imported model): model.safetensors + a manifest at step 0.</summary>
    public static void SaveWeights(string folder, ModelParameters parameters, string source, string tokenizer)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var state = new TrainingState(parameters, ModelParameters.Zeros(parameters.Layout), ModelParameters.Zeros(parameters.Layout), 0, 0, new SamplerState(0, 0), new LossScaler(1, 0));
        Save(folder, state, null, source, 0, tokenizer);
    }

    /// <summary>sha256 of the weights in canonical form (`orion checkpoint hash`): the same bits give the same hash anywhere.</summary>
    public static string WeightsHash(ModelParameters parameters) => Sha256(SafeTensors.Serialize(ModelTensors(parameters)));

    internal static Dictionary<string, SafeTensor> ModelTensors(ModelParameters p)
    {
        var d = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
        foreach (var t in p.Layout.Tensors) d[t.Name] = SafeTensor.Float32(t.Shape.Select(x => (long)x).ToArray(), p[t.Name]);
        return d;
    }

    internal static Dictionary<string, string> ModelMetadata(ModelConfig config) => new(StringComparer.Ordinal) { ["format"] = "orion", [ConfigMetadataKey] = config.ToJson() };

    internal static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
