// Single-device training (issue: training and inference, item 2): forward and backward-data on the device, dW and
// AdamW on the CPU, then a delta patch of every program — the device compiles only when the trainer is made, which
// is after the state (possibly a checkpoint) is loaded. Deterministic: same state, options and data, same bits.
using System.Diagnostics;
using Orion.Engine.Ane;
using Orion.Engine.Data;
using Orion.Engine.Model.Device;

namespace Orion.Engine.Model.Training;

public sealed class Trainer : IDisposable
{
    private readonly DeviceModel _model;
    private readonly BatchSampler _sampler;
    private readonly ModelParameters _grads;

    public Trainer(IAneDevice device, TrainingState state, TrainingOptions options, ushort[] tokens)
    {
        ArgumentNullException.ThrowIfNull(device);
        State = state ?? throw new ArgumentNullException(nameof(state));
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        ArgumentNullException.ThrowIfNull(tokens);
        int seq = SeqFor(state.Config, options);
        int max = tokens.Length == 0 ? 0 : tokens.Max();
        if (max >= state.Config.VocabSize)
            throw new ArgumentException($"the data holds token {max}, outside model '{state.Config.Name}''s vocabulary of {state.Config.VocabSize}; use a model whose vocabulary covers the data's tokenizer");
        _sampler = new BatchSampler(tokens, options.Batch, seq, state.Sampler.Rng);
        _sampler.Restore(state.Sampler);
        _grads = ModelParameters.Zeros(state.Parameters.Layout);
        _model = new DeviceModel(device, state.Parameters, options.Batch, seq);
    }

    public TrainingState State { get; }
    public TrainingOptions Options { get; }
    public DeviceModel Model => _model;
    public bool Done => State.Step >= Options.Steps;

    public static int SeqFor(ModelConfig config, TrainingOptions options) =>
        options.Seq == 0 ? config.MaxSeq
        : options.Seq <= config.MaxSeq ? options.Seq
        : throw new ArgumentException($"--seq {options.Seq} exceeds model '{config.Name}''s context of {config.MaxSeq}");

    public StepResult Step()
    {
        var clock = Stopwatch.StartNew();
        long step = State.Step + 1;
        var batch = _sampler.Next();
        float scale = State.Scaler.Scale;
        double loss = _model.ForwardBackward(batch, _grads, scale);
        var outcome = OptimizerStep.Apply(State, _grads, loss, step, Options);
        int patched = outcome.Skipped ? 0 : _model.PatchWeights();
        State.Sampler = _sampler.State;
        return new StepResult(step, (float)loss, outcome.LearningRate, (long)batch.BatchSize * batch.Seq, clock.Elapsed.TotalMilliseconds, outcome.Skipped, scale, outcome.GradNorm, patched);
    }

    public void Dispose() => _model.Dispose();
}
