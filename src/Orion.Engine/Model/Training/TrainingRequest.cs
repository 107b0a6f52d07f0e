// What the user asked of `orion train`: null means "not given" (the default for a new run, the saved value when
// resuming). Resuming with a different value for anything that shapes the run is refused, since it would not continue
// the same run; the step count and checkpoint interval may change.
namespace Orion.Engine.Model.Training;

public sealed record TrainingRequest
{
    public const string DefaultModel = "gpt2-tiny";
    /// <summary>How text data becomes tokens when no tokenizer is named (the built-in corpus is bytes).</summary>
    public const string DefaultTokenizer = "byte";

    public string? Model { get; init; }
    public string? Data { get; init; }
    public string? Tokenizer { get; init; }
    public int? Steps { get; init; }
    public int? Batch { get; init; }
    public int? Seq { get; init; }
    public ulong? Seed { get; init; }
    public float? LearningRate { get; init; }
    public int? CheckpointEvery { get; init; }
    // The rest of the hyperparameters (from a HOCON file's orion.training section; no flags of their own).
    public int? WarmupSteps { get; init; }
    public float? MinLrFraction { get; init; }
    public float? WeightDecay { get; init; }
    public float? Beta1 { get; init; }
    public float? Beta2 { get; init; }
    public float? Epsilon { get; init; }
    public float? GradClip { get; init; }
    public float? InitialLossScale { get; init; }
    public int? LossScaleGrowthInterval { get; init; }

    public TrainingOptions ApplyTo(TrainingOptions o) => o with
    {
        Steps = Steps ?? o.Steps,
        Batch = Batch ?? o.Batch,
        Seq = Seq ?? o.Seq,
        Seed = Seed ?? o.Seed,
        LearningRate = LearningRate ?? o.LearningRate,
        CheckpointEvery = CheckpointEvery ?? o.CheckpointEvery,
        WarmupSteps = WarmupSteps ?? o.WarmupSteps,
        MinLrFraction = MinLrFraction ?? o.MinLrFraction,
        WeightDecay = WeightDecay ?? o.WeightDecay,
        Beta1 = Beta1 ?? o.Beta1,
        Beta2 = Beta2 ?? o.Beta2,
        Epsilon = Epsilon ?? o.Epsilon,
        GradClip = GradClip ?? o.GradClip,
        InitialLossScale = InitialLossScale ?? o.InitialLossScale,
        LossScaleGrowthInterval = LossScaleGrowthInterval ?? o.LossScaleGrowthInterval,
    };

    /// <summary>Every flag given that disagrees with the run being resumed, as "--flag given (run has saved)".</summary>
    public IReadOnlyList<string> Conflicts(TrainingOptions saved, string savedModel, string savedData, string savedTokenizer)
    {
        var c = new List<string>();
        void Check<T>(string flag, T? given, T have) where T : struct { if (given is { } g && !g.Equals(have)) c.Add($"{flag} {g} (the run has {have})"); }
        if (Model is not null && Model != savedModel) c.Add($"--model {Model} (the run has {savedModel})");
        if (Data is not null && Data != savedData) c.Add($"--data {Data} (the run has {savedData})");
        if (Tokenizer is not null && Tokenizer != savedTokenizer) c.Add($"--tokenizer {Tokenizer} (the run has {savedTokenizer})");
        Check("--batch", Batch, saved.Batch);
        Check("--seq", Seq, saved.Seq);
        Check("--seed", Seed, saved.Seed);
        Check("--lr", LearningRate, saved.LearningRate);
        Check("warmup-steps", WarmupSteps, saved.WarmupSteps);
        Check("min-lr-fraction", MinLrFraction, saved.MinLrFraction);
        Check("weight-decay", WeightDecay, saved.WeightDecay);
        Check("beta1", Beta1, saved.Beta1);
        Check("beta2", Beta2, saved.Beta2);
        Check("adam-epsilon", Epsilon, saved.Epsilon);
        Check("grad-clip", GradClip, saved.GradClip);
        Check("initial-loss-scale", InitialLossScale, saved.InitialLossScale);
        Check("loss-scale-growth-interval", LossScaleGrowthInterval, saved.LossScaleGrowthInterval);
        return c;
    }
}
