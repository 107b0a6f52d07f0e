// The training issue's benchmarks (cli-contract.md, `orion bench`): `train-gpt2-small` (one full training step on the
// emulated device: tokens/s and model FLOPs/s over the FMA peak), `forward-gpt2-124m` (tokens/s of the device forward)
// and `gemm-dw` (the dW GEMM dY X^T at 768x768x1024). Each checks its result against a reference before timing.
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Data;
using Orion.Engine.Model;
using Orion.Engine.Model.Cpu;
using Orion.Engine.Model.Device;
using Orion.Engine.Model.Training;

namespace Orion.Cli.Bench;

public static class ModelBenches
{
    /// <summary>
    /// Training FLOPs per token (the PaLM / llm.c MFU convention): 6 per parameter touched per token (forward 2, backward
    /// 4; the tied classifier counts once, positions never) plus attention's 12 * L * T * C.
    /// </summary>
    public static double TrainingFlopsPerToken(ModelConfig c, int seq)
    {
        double matmulParams = (double)ParameterLayout.For(c).Count - (c.Family == ModelFamily.Gpt2 ? (double)c.MaxSeq * c.Channels : 0);
        return 6 * matmulParams + 12.0 * c.Layers * seq * c.Channels;
    }

    public static BenchResult TrainGpt2Small(BenchContext ctx) => Train(ctx, ModelConfig.Preset("gpt2-small"), 4, 256, "train-gpt2-small");

    /// <summary>One training step of <paramref name="config"/> per run (tests use a tiny model).</summary>
    public static BenchResult Train(BenchContext ctx, ModelConfig config, int batch, int seq, string name)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(config);
        var options = new TrainingOptions { Steps = int.MaxValue, Batch = batch, Seq = seq, WarmupSteps = 1 };
        var state = TrainingState.Fresh(config, options);
        using var device = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(CompileBudget.DefaultLimit) });
        using var trainer = new Trainer(device, state, options, BuiltinCorpus.Tokens(2000));
        int compiles = device.CompileCount;
        var result = ctx.Runner.Run(name,
            check: () =>
            {
                var r = trainer.Step();
                if (!float.IsFinite(r.Loss) || Math.Abs(r.Loss - Math.Log(config.VocabSize)) > 1)
                    throw new InvalidOperationException($"the first step's loss is {r.Loss}, expected about ln({config.VocabSize}) = {Math.Log(config.VocabSize):F2} for fresh weights");
                if (r.PatchedFiles == 0) throw new InvalidOperationException("the step patched no weight files");
            },
            measured: () => trainer.Step());
        if (device.CompileCount != compiles) return BenchResult.Failure(name, $"the device compiled {device.CompileCount - compiles} programs during the run; steps must only delta-patch");
        double tokens = options.Batch * options.Seq;
        result = result.WithRatePerRun(tokens, 1, "tok/s");
        return result.Rate is { } tps ? result.WithPeakFraction(tps * TrainingFlopsPerToken(config, options.Seq) / 1e9, ctx.Limits) : result;
    }

    public static BenchResult ForwardGpt2_124m(BenchContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        const string name = "forward-gpt2-124m";
        const int seq = 256;
        var config = ModelConfig.Preset("gpt2-124m");
        var p = ModelParameters.Initialize(config, 124);
        var tokens = BuiltinCorpus.Tokens(200).Take(seq).Select(t => (int)t).ToArray();
        using var device = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(CompileBudget.DefaultLimit) });
        using var model = new DeviceModel(device, p, 1, seq, training: false);
        var result = ctx.Runner.Run(name,
            check: () =>
            {
                // Causal: position 0's logits depend on token 0 alone, so a one-token float64 forward is the reference.
                var got = model.Logits(tokens).AsSpan(0, config.VocabSize);
                var want = ReferenceModel.Logits(p, tokens[..1], 1, 1);
                double err = 0, scale = 0;
                for (int v = 0; v < want.Length; v++) { err = Math.Max(err, Math.Abs(got[v] - want[v])); scale = Math.Max(scale, Math.Abs(want[v])); }
                if (err > 0.02 * scale + 1e-3) throw new InvalidOperationException($"position 0 logits differ from the float64 reference by {err:G3} (max |logit| {scale:G3})");
            },
            measured: () => model.Logits(tokens));
        result = result.WithRatePerRun(seq, 1, "tok/s");
        return result.Rate is { } tps ? result.WithPeakFraction(tps * TrainingFlopsPerToken(config, seq) / 3 / 1e9, ctx.Limits) : result;
    }

    public static BenchResult GemmDw(BenchContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        const int o = 768, i = 768, n = 1024;
        var dy = new Matrix(o, n);
        var x = new Matrix(i, n);
        BenchData.Uniform(o * n, 31, 1f).CopyTo(dy.Data, 0);
        BenchData.Uniform(i * n, 32, 1f).CopyTo(x.Data, 0);
        var grad = new float[o * i];
        var result = ctx.Runner.Run("gemm-dw",
            check: () =>
            {
                Array.Clear(grad);
                Dense.AccumulateWeightGrad(grad, 0, dy, x);
                for (int r = 0; r < o; r += 97)
                    for (int c = 0; c < i; c += 89)
                    {
                        double s = 0, abs = 0;
                        for (int k = 0; k < n; k++) { double v = (double)dy.Data[r * n + k] * x.Data[c * n + k]; s += v; abs += Math.Abs(v); }
                        if (Math.Abs(grad[r * i + c] - s) > 1e-5 * abs + 1e-6)
                            throw new InvalidOperationException($"dW[{r}, {c}] = {grad[r * i + c]}, float64 reference {s}");
                    }
            },
            measured: () => Dense.AccumulateWeightGrad(grad, 0, dy, x));
        result = result.WithRatePerRun(2.0 * o * i * n, 1e9, "GFLOP/s");
        return result.Rate is { } gflops ? result.WithPeakFraction(gflops, ctx.Limits) : result;
    }
}
