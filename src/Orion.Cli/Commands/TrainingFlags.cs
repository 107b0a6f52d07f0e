// The training flags shared by `orion train` and `orion coordinator` (cli-contract.md), the journal spec, and the way
// a step is printed. Flags override the HOCON configuration, which overrides the defaults.
using System.CommandLine;
using System.Globalization;
using Orion.Engine.Model.Training;

namespace Orion.Cli.Commands;

internal sealed class TrainingFlags
{
    public Option<string> Config { get; } = new("--config") { Description = "a HOCON file (see hocon/reference.conf); flags override it" };
    public Option<string> Model { get; } = new("--model") { Description = "gpt2-tiny (default), gpt2-small, gpt2-124m, stories-tiny or stories-110m" };
    public Option<string> Data { get; } = new("--data") { Description = "builtin (default), an llm.c .bin shard, a folder of shards, or a text file" };
    public Option<string> Tokenizer { get; } = new("--tokenizer") { Description = "how text data becomes tokens: byte (default), gpt2:DIR (vocab.json + merges.txt) or llama2c:FILE (tokenizer.bin)" };
    public Option<int?> Steps { get; } = new("--steps") { Description = "steps to train in all (default 1000); a larger value continues a finished run" };
    public Option<int?> Batch { get; } = new("--batch") { Description = "sequences per step (default 4), split into one shard per worker" };
    public Option<int?> Seq { get; } = new("--seq") { Description = "tokens per sequence (default: the model's context)" };
    public Option<int?> Workers { get; } = new("--workers") { Description = "workers (default 1): shards per batch for a new run" };
    public Option<string> Journal { get; } = new("--journal") { Description = "sqlite:PATH (default sqlite:<run-dir>/journal.db) or postgres:CONNSTR" };
    public Option<string> RunDir { get; } = new("--run-dir") { Description = "run directory (default runs/<run-id>); re-running with the same one resumes" };
    public Option<ulong?> Seed { get; } = new("--seed") { Description = "seed of weights and batches (default 1337)" };
    public Option<int?> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "checkpoint every K steps (default 250; 0 = only at the end)" };
    public Option<string> Gradients { get; } = new Option<string>("--gradients") { Description = "precision of each shard's gradient in the sum: fp32 (default) or bf16 (half the bytes on a fleet's data plane); fixed for the run" }.AcceptOnlyFromAmong("fp32", "bf16");
    public Option<int?> KeepCheckpoints { get; } = new("--keep-checkpoints") { Description = "keep the newest N checkpoints, deleting older ones and the journal history only they need (default 0: keep all)" };
    public Option<float?> LearningRate { get; } = new("--lr") { Description = "peak learning rate (default 0.003), warmup then cosine decay" };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Config, Model, Data, Tokenizer, Steps, Batch, Seq, Workers, Journal, RunDir, Seed, CheckpointEvery, KeepCheckpoints, Gradients, LearningRate })
            command.Options.Add(o);
    }

    public static string FormatStep(StepResult s, TrainingOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"step {s.Step}/{o.Steps} loss {s.Loss:F4} lr {s.LearningRate:0.00e+00} {s.Milliseconds:F1} ms {s.Tokens / (s.Milliseconds / 1000):F0} tok/s{(s.Skipped ? $" skipped (gradient overflow at loss scale {s.LossScale})" : "")}");
}
