// What one training step reports: one line of steps.jsonl (cli-contract.md) plus the loss scaling and clipping facts.
namespace Orion.Engine.Model.Training;

public sealed record StepResult(long Step, float Loss, float LearningRate, long Tokens, double Milliseconds, bool Skipped, float LossScale, double GradNorm, int PatchedFiles);
