// Dynamic loss scaling for fp16 activations on the device: the loss gradient is multiplied by Scale so small
// gradients survive fp16; a non-finite gradient skips the step and halves the scale; clean steps grow it back.
namespace Orion.Engine.Model.Training;

public sealed record LossScaler(float Scale, int CleanSteps)
{
    public const float MinScale = 1f;
    public const float MaxScale = 65536f;

    /// <summary>The state after a step whose gradients were finite (<paramref name="finite"/>) or overflowed.</summary>
    public LossScaler After(bool finite, int growthInterval)
    {
        if (!finite) return new(Math.Max(MinScale, Scale / 2), 0);
        int clean = CleanSteps + 1;
        return clean >= growthInterval ? new(Math.Min(MaxScale, Scale * 2), 0) : new(Scale, clean);
    }
}
