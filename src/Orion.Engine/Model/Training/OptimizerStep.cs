// The CPU half of a training step, shared by the single-device Trainer and the cluster coordinator: from the summed,
// loss-scaled gradient to new weights — global norm, overflow check, clipping, AdamW, loss-scale update. Keeping one
// copy is what lets one worker and N workers follow the same arithmetic.
namespace Orion.Engine.Model.Training;

public static class OptimizerStep
{
    /// <summary>The facts of one update: whether it was skipped (overflow), the learning rate, the unscaled norm.</summary>
    public sealed record Outcome(bool Skipped, float LearningRate, float LossScale, double GradNorm);

    /// <summary>
    /// Applies step <paramref name="step"/> to <paramref name="state"/> given the gradient of loss * scale (scale =
    /// the state's loss scale when the gradient was computed) and the step's loss. Advances Step and the scaler.
    /// </summary>
    public static Outcome Apply(TrainingState state, ModelParameters grads, double loss, long step, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(grads);
        ArgumentNullException.ThrowIfNull(options);
        float scale = state.Scaler.Scale;
        double norm = AdamW.GlobalNorm(grads.Data) / scale;
        bool finite = double.IsFinite(norm) && double.IsFinite(loss);
        float lr = options.LearningRateAt(step);
        if (finite)
        {
            float clip = options.GradClip > 0 && norm > options.GradClip ? (float)(options.GradClip / norm) : 1f;
            state.Updates++;
            AdamW.Step(state.Parameters, grads, state.M, state.V, state.Updates, lr, clip / scale, options);
        }
        state.Scaler = state.Scaler.After(finite, options.LossScaleGrowthInterval);
        state.Step = step;
        return new Outcome(!finite, lr, scale, norm);
    }
}
