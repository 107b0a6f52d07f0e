// Everything a training run needs to continue exactly: weights, AdamW moments, step counters, the data sampler's
// position and the loss scaler. A checkpoint is this object on disk.
using Orion.Engine.Data;

namespace Orion.Engine.Model.Training;

public sealed class TrainingState(ModelParameters parameters, ModelParameters m, ModelParameters v, long step, long updates, SamplerState sampler, LossScaler scaler)
{
    public ModelParameters Parameters { get; } = parameters;
    public ModelParameters M { get; } = m;
    public ModelParameters V { get; } = v;
    /// <summary>Steps taken (batches consumed), including steps skipped for a gradient overflow.</summary>
    public long Step { get; set; } = step;
    /// <summary>Optimizer updates applied (AdamW's bias-correction time).</summary>
    public long Updates { get; set; } = updates;
    public SamplerState Sampler { get; set; } = sampler;
    public LossScaler Scaler { get; set; } = scaler;

    public ModelConfig Config => Parameters.Config;

    /// <summary>A new run: seeded weights, zero moments, the sampler at its seed.</summary>
    public static TrainingState Fresh(ModelConfig config, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var p = ModelParameters.Initialize(config, options.Seed);
        return new TrainingState(p, ModelParameters.Zeros(p.Layout), ModelParameters.Zeros(p.Layout), 0, 0,
            new SamplerState(options.Seed ^ 0x5EED_DA7AUL, 0), new LossScaler(options.InitialLossScale, 0));
    }
}
