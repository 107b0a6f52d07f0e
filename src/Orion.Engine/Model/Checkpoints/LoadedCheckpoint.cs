// Reading checkpoints back: a checkpoint folder (every file's sha256 checked against the manifest), a run directory
// (its newest complete checkpoint), or a bare model.safetensors whose metadata carries the model config. Anything
// corrupt, truncated or mismatched is refused naming the file and the fault.
using System.Globalization;
using System.Text.Json;
using Orion.Engine.Data;
using Orion.Engine.IO;
using Orion.Engine.Model.Training;

namespace Orion.Engine.Model.Checkpoints;

public sealed record LoadedCheckpoint(string Path, ModelParameters Parameters, CheckpointManifest? Manifest, ModelParameters? M, ModelParameters? V)
{
    public ModelConfig Config => Parameters.Config;
    public string Tokenizer => Manifest?.Tokenizer ?? "byte";

    public static LoadedCheckpoint Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path)) return FromModelFile(path);
        if (!Directory.Exists(path)) throw new FileNotFoundException($"checkpoint '{path}' does not exist; expected a checkpoint folder, a run directory or a model.safetensors file", path);
        if (File.Exists(System.IO.Path.Combine(path, Checkpoint.ManifestFile))) return FromFolder(path, withOptimizer: true);
        var latest = Latest(System.IO.Path.Combine(path, "checkpoints"));
        return latest is not null ? FromFolder(latest, withOptimizer: true)
            : throw new FileNotFoundException($"'{path}' holds no {Checkpoint.ManifestFile} and no checkpoints/step-*/ folder; expected a checkpoint folder or a run directory", path);
    }

    /// <summary>The newest step-* folder under <paramref name="checkpointsDir"/> that has a manifest (complete), or null.</summary>
    public static string? Latest(string checkpointsDir) => Complete(checkpointsDir) is { Count: > 0 } all ? all[^1].Folder : null;

    /// <summary>
    /// The complete checkpoint folders (step-N with a manifest; not .tmp, .old or .deleting), oldest first, by step
    /// number: as names, step-1000000 would sort before step-999999.
    /// </summary>
    public static IReadOnlyList<(long Step, string Folder)> Complete(string checkpointsDir)
    {
        if (!Directory.Exists(checkpointsDir)) return [];
        var found = new List<(long, string)>();
        foreach (var d in Directory.GetDirectories(checkpointsDir, "step-*"))
        {
            var name = System.IO.Path.GetFileName(d);
            if (long.TryParse(name.AsSpan("step-".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long step)
                && name == Checkpoint.FolderName(step) && File.Exists(System.IO.Path.Combine(d, Checkpoint.ManifestFile)))
                found.Add((step, d));
        }
        found.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return found;
    }

    public static LoadedCheckpoint FromFolder(string folder, bool withOptimizer)
    {
        var manifestPath = System.IO.Path.Combine(folder, Checkpoint.ManifestFile);
        var manifest = CheckpointManifest.Parse(File.ReadAllText(manifestPath), manifestPath);
        var config = ModelConfig.FromJsonElement(manifest.Config, manifestPath);
        var model = ReadVerified(folder, Checkpoint.ModelFile, manifest);
        var p = ToParameters(ParameterLayout.For(config), model, "", System.IO.Path.Combine(folder, Checkpoint.ModelFile));
        ModelParameters? m = null, v = null;
        if (withOptimizer && manifest.Files.ContainsKey(Checkpoint.OptimizerFile))
        {
            var opt = ReadVerified(folder, Checkpoint.OptimizerFile, manifest);
            var optPath = System.IO.Path.Combine(folder, Checkpoint.OptimizerFile);
            m = ToParameters(p.Layout, opt, "m.", optPath);
            v = ToParameters(p.Layout, opt, "v.", optPath);
        }
        return new LoadedCheckpoint(folder, p, manifest, m, v);
    }

    private static LoadedCheckpoint FromModelFile(string path)
    {
        var content = SafeTensors.Read(path);
        if (!content.Metadata.TryGetValue(Checkpoint.ConfigMetadataKey, out var json))
            throw new InvalidDataException($"{path}: the safetensors metadata has no '{Checkpoint.ConfigMetadataKey}' entry, so the model's shape is unknown; pass the checkpoint folder (with manifest.json) or import the weights with `orion import`");
        var config = ModelConfig.FromJson(json, path);
        return new LoadedCheckpoint(path, ToParameters(ParameterLayout.For(config), content, "", path), null, null, null);
    }

    private static SafeTensorsContent ReadVerified(string folder, string file, CheckpointManifest manifest)
    {
        var path = System.IO.Path.Combine(folder, file);
        if (!manifest.Files.TryGetValue(file, out var expected))
            throw new InvalidDataException($"{System.IO.Path.Combine(folder, Checkpoint.ManifestFile)}: no sha256 for {file}");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing; the manifest lists it", path);
        var bytes = File.ReadAllBytes(path);
        var actual = Checkpoint.Sha256(bytes);
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path}: sha256 is {actual}, the manifest says {expected} (the file is corrupt or was changed after the checkpoint was written); use an earlier checkpoint");
        return SafeTensors.Parse(bytes, path);
    }

    private static ModelParameters ToParameters(ParameterLayout layout, SafeTensorsContent content, string prefix, string path)
    {
        var p = new ModelParameters(layout);
        foreach (var t in layout.Tensors)
        {
            if (!content.Tensors.TryGetValue(prefix + t.Name, out var st))
                throw new InvalidDataException($"{path}: tensor '{prefix}{t.Name}' is missing; model '{layout.Config.Name}' needs it");
            if (!st.Shape.SequenceEqual(t.Shape.Select(d => (long)d)))
                throw new InvalidDataException($"{path}: tensor '{prefix}{t.Name}' has shape [{string.Join(", ", st.Shape)}], expected [{string.Join(", ", t.Shape)}] for model '{layout.Config.Name}'");
            st.ToFloat32().CopyTo(p[t.Name]);
        }
        return p;
    }

    /// <summary>The training state to resume from; requires optimizer moments and a manifest.</summary>
    public TrainingState ToTrainingState()
    {
        if (Manifest is null || M is null || V is null)
            throw new InvalidDataException($"{Path}: holds weights only (no optimizer state), so training cannot resume exactly from it");
        if (!ulong.TryParse(Manifest.Data.SamplerRng, NumberStyles.None, CultureInfo.InvariantCulture, out var rng))
            throw new InvalidDataException($"{Path}: data.samplerRng '{Manifest.Data.SamplerRng}' is not a 64-bit unsigned number");
        return new TrainingState(Parameters, M, V, Manifest.Step, Manifest.Updates, new SamplerState(rng, Manifest.Data.Batches), new LossScaler(Manifest.LossScale, Manifest.LossScaleCleanSteps));
    }

    /// <summary>sha256 of the model weights in canonical form (names sorted, fp32 little-endian): same bits, same hash, anywhere.</summary>
    public string WeightsHash() => Checkpoint.WeightsHash(Parameters);
}
