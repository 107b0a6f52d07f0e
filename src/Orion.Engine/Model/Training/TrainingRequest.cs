// What the user asked of `orion train`: null means "not given" (the default for a new run, the saved value when
// resuming). Resuming with a different value for anything that shapes the run is refused, since it would not continue
// the same run; the step count and checkpoint interval may change.
namespace Orion.Engine.Model.Training;

public sealed record TrainingRequest
{
    public const string DefaultModel = "gpt2-tiny";

    public string? Model { get; init; }
    public string? Data { get; init; }
    public string? Tokenizer { get; init; }
    public int? Steps { get; init; }
    public int? Batch { get; init; }
    public int? Seq { get; init; }
    public ulong? Seed { get; init; }
    public float? LearningRate { get; init; }
    public int? CheckpointEvery { get; init; }

    public TrainingOptions ApplyTo(TrainingOptions o) => o with
    {
        Steps = Steps ?? o.Steps,
        Batch = Batch ?? o.Batch,
        Seq = Seq ?? o.Seq,
        Seed = Seed ?? o.Seed,
        LearningRate = LearningRate ?? o.LearningRate,
        CheckpointEvery = CheckpointEvery ?? o.CheckpointEvery,
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
        return c;
    }
}
