// Hyperparameters of a training run (the defaults are GPT-2 / llm.c's, scaled for small models) and their checks.
namespace Orion.Engine.Model.Training;

public sealed record TrainingOptions
{
    public int Steps { get; init; } = 1000;
    public int Batch { get; init; } = 4;
    /// <summary>Sequence length; 0 means the model's context.</summary>
    public int Seq { get; init; }
    public ulong Seed { get; init; } = 1337;
    /// <summary>Peak learning rate, reached after warmup; cosine decay to <see cref="MinLrFraction"/> of it at the last step.</summary>
    public float LearningRate { get; init; } = 3e-3f;
    public int WarmupSteps { get; init; } = 20;
    public float MinLrFraction { get; init; } = 0.1f;
    /// <summary>Decoupled weight decay (AdamW), applied to matrices and embeddings only, not to norms or biases.</summary>
    public float WeightDecay { get; init; } = 0.1f;
    public float Beta1 { get; init; } = 0.9f;
    public float Beta2 { get; init; } = 0.95f;
    public float Epsilon { get; init; } = 1e-8f;
    /// <summary>Clip the global gradient norm to this value; 0 disables clipping.</summary>
    public float GradClip { get; init; } = 1f;
    /// <summary>Dynamic loss scaling for fp16 activations on the device: start, growth after this many clean steps.</summary>
    public float InitialLossScale { get; init; } = 4096f;
    public int LossScaleGrowthInterval { get; init; } = 100;
    public int CheckpointEvery { get; init; } = 250;

    public TrainingOptions Validate()
    {
        static void Positive(double v, string flag) { if (!(v > 0) || !double.IsFinite(v)) throw new ArgumentException($"{flag} is {v}; expected a positive number"); }
        static void NonNegative(double v, string flag) { if (!(v >= 0) || !double.IsFinite(v)) throw new ArgumentException($"{flag} is {v}; expected zero or more"); }
        Positive(Steps, "--steps"); Positive(Batch, "--batch"); NonNegative(Seq, "--seq");
        Positive(LearningRate, "--lr"); NonNegative(WarmupSteps, "warmup steps"); NonNegative(WeightDecay, "weight decay");
        if (!(MinLrFraction is >= 0 and <= 1)) throw new ArgumentException($"min lr fraction is {MinLrFraction}; expected 0..1");
        if (!(Beta1 is >= 0 and < 1) || !(Beta2 is >= 0 and < 1)) throw new ArgumentException($"Adam betas are {Beta1}, {Beta2}; expected each in [0, 1)");
        Positive(Epsilon, "Adam epsilon"); NonNegative(GradClip, "gradient clip"); Positive(InitialLossScale, "initial loss scale");
        Positive(LossScaleGrowthInterval, "loss scale growth interval"); NonNegative(CheckpointEvery, "--checkpoint-every");
        return this;
    }

    /// <summary>Learning rate of step <paramref name="step"/> (1-based): linear warmup, then cosine decay.</summary>
    public float LearningRateAt(long step)
    {
        if (step <= WarmupSteps) return LearningRate * step / Math.Max(1, WarmupSteps);
        double progress = Math.Min(1.0, (double)(step - WarmupSteps) / Math.Max(1, Steps - WarmupSteps));
        double min = LearningRate * MinLrFraction;
        return (float)(min + 0.5 * (LearningRate - min) * (1 + Math.Cos(Math.PI * progress)));
    }
}
