// The shape of the `step-overhead` benchmark: workers, model and batch of the zero-cost run, and the length of its check run.
namespace Orion.Cli.Bench;

/// <summary>
/// <paramref name="Workers"/> zero-cost workers (the N = 4) training <paramref name="Model"/> (a tiny preset)
/// with global batches of <paramref name="Batch"/> sequences (at least one per worker); the reference check first
/// runs <paramref name="CheckSteps"/> steps to completion.
/// </summary>
public sealed record StepOverheadSize(int Workers = 4, string Model = "gpt2-tiny", int Batch = 4, int CheckSteps = 3)
{
    public static StepOverheadSize Default { get; } = new();

    public void Validate()
    {
        if (Workers < 1) throw new ArgumentException($"step-overhead size {this}: Workers is {Workers}; expected 1 or more", nameof(Workers));
        if (Batch < Workers) throw new ArgumentException($"step-overhead size {this}: Batch {Batch} cannot be split over {Workers} workers; expected Batch >= Workers", nameof(Batch));
        if (CheckSteps < 1) throw new ArgumentException($"step-overhead size {this}: CheckSteps is {CheckSteps}; expected 1 or more", nameof(CheckSteps));
    }
}
