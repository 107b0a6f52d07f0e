// What an importer returns: the model's shape, its weights in our one-buffer layout, and where they came from.
namespace Orion.Engine.Model.Import;

/// <param name="Source">A one-line description of the file it was read from (format, version, name), for manifests and logs.</param>
public sealed record ImportedModel(ModelConfig Config, ModelParameters Parameters, string Source);
