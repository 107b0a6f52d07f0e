// `orion train`: single-node training on one device (cli-contract.md). With no flags it trains gpt2-tiny on the
// built-in corpus with the emulated ANE (the real one on a Mac) and resumes when re-run with the same --run-dir.
using System.CommandLine;
using System.Globalization;
using Orion.Engine.Ane;
using Orion.Engine.Model.Training;

namespace Orion.Cli.Commands;

internal static class TrainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string>("--model") { Description = "gpt2-tiny (default), gpt2-small, gpt2-124m, stories-tiny or stories-110m" };
        var data = new Option<string>("--data") { Description = "builtin (default), an llm.c .bin shard, a folder of shards, or a text file" };
        var tokenizer = new Option<string>("--tokenizer") { Description = "how text data becomes tokens: byte (default), gpt2:DIR (vocab.json + merges.txt) or llama2c:FILE (tokenizer.bin)" };
        var steps = new Option<int?>("--steps") { Description = "steps to train in all (default 1000); a larger value continues a finished run" };
        var batch = new Option<int?>("--batch") { Description = "sequences per step (default 4)" };
        var seq = new Option<int?>("--seq") { Description = "tokens per sequence (default: the model's context)" };
        var workers = new Option<int>("--workers") { Description = "workers in this process (1 until the cluster arrives)", DefaultValueFactory = _ => 1 };
        var device = DeviceOption.Create("auto");
        var runDir = new Option<string>("--run-dir") { Description = "run directory (default runs/<run-id>); re-running with the same one resumes" };
        var seed = new Option<ulong?>("--seed") { Description = "seed of weights and batches (default 1337)" };
        var every = new Option<int?>("--checkpoint-every") { Description = "checkpoint every K steps (default 250; 0 = only at the end)" };
        var lr = new Option<float?>("--lr") { Description = "peak learning rate (default 0.003), warmup then cosine decay" };
        var train = new Command("train", "train a model on one device; resumes from the run directory's newest checkpoint")
            { model, data, tokenizer, steps, batch, seq, workers, device, runDir, seed, every, lr };
        train.SetAction(r =>
        {
            if (r.GetValue(workers) != 1)
                throw new CliUsageException($"--workers {r.GetValue(workers)}: this build trains on one device per process; several workers arrive with the cluster (use --workers 1)");
            var request = new TrainingRequest
            {
                Model = r.GetValue(model), Data = r.GetValue(data), Tokenizer = r.GetValue(tokenizer), Steps = r.GetValue(steps), Batch = r.GetValue(batch),
                Seq = r.GetValue(seq), Seed = r.GetValue(seed), LearningRate = r.GetValue(lr), CheckpointEvery = r.GetValue(every),
            };
            var dir = r.GetValue(runDir) ?? Path.Combine("runs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            CommandChecks.OutputFolder(dir, "--run-dir");
            var deviceRequest = new DeviceRequest { Choice = DeviceSelection.Parse(r.GetValue(device)!), Budget = new CompileBudget(CompileBudget.DefaultLimit) };
            return Run(dir, request, deviceRequest, stdout, stderr);
        });
        return train;
    }

    internal static int Run(string runDir, TrainingRequest request, DeviceRequest deviceRequest, TextWriter stdout, TextWriter stderr)
    {
        var run = new TrainingRun
        {
            RunDir = runDir,
            Request = request,
            OpenDevice = () => DeviceOption.Open(deviceRequest, stderr),
            Encoder = spec => Tokenizers.Open(spec).Encode,
            Note = s => stdout.WriteLine(s),
            Progress = (s, o) => stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"step {s.Step}/{o.Steps} loss {s.Loss:F4} lr {s.LearningRate:0.00e+00} {s.Milliseconds:F1} ms {s.Tokens / (s.Milliseconds / 1000):F0} tok/s{(s.Skipped ? $" skipped (gradient overflow at loss scale {s.LossScale})" : "")}")),
        };
        var state = run.Execute();
        stdout.WriteLine($"run directory {runDir}: step {state.Step}");
        return 0;
    }
}
