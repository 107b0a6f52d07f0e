// `orion eval --checkpoint DIR|FILE --data PATH [--batches K] [--batch B] [--seq T]` (cli-contract.md): the mean loss
// over K batches of B consecutive, non-overlapping windows of T tokens from the start of the data; last line `loss <v>`.
using System.CommandLine;
using System.Globalization;
using Orion.Engine.Ane;
using Orion.Engine.Data;
using Orion.Engine.Model.Checkpoints;
using Orion.Engine.Model.Device;

namespace Orion.Cli.Commands;

internal static class EvalCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "checkpoint folder, run directory (its newest checkpoint) or model.safetensors", Required = true };
        var data = new Option<string>("--data") { Description = "builtin, an llm.c .bin shard, a folder of shards, or a text file", Required = true };
        var batches = new Option<int?>("--batches") { Description = "batches to evaluate (default: all that fit)" };
        var batch = new Option<int>("--batch") { Description = "windows per batch (default 1)", DefaultValueFactory = _ => 1 };
        var seq = new Option<int?>("--seq") { Description = "tokens per window (default: the model's context)" };
        var tokenizer = new Option<string>("--tokenizer") { Description = "for text data: byte, gpt2:DIR or llama2c:FILE (default: the checkpoint's)" };
        var device = DeviceOption.Create("auto");
        var eval = new Command("eval", "evaluate a checkpoint's loss on data") { checkpoint, data, batches, batch, seq, tokenizer, device };
        eval.SetAction(r => Run(r.GetValue(checkpoint)!, r.GetValue(data)!, r.GetValue(batches), r.GetValue(batch), r.GetValue(seq), r.GetValue(tokenizer),
            new DeviceRequest { Choice = DeviceSelection.Parse(r.GetValue(device)!), Budget = new CompileBudget(CompileBudget.DefaultLimit) }, stdout, stderr));
        return eval;
    }

    internal static int Run(string checkpointPath, string dataSpec, int? batches, int batch, int? seq, string? tokenizer, DeviceRequest deviceRequest, TextWriter stdout, TextWriter stderr)
    {
        if (batch <= 0) throw new CliUsageException($"--batch {batch}: expected a positive number of windows");
        if (batches is <= 0) throw new CliUsageException($"--batches {batches}: expected a positive number (or leave it out for all that fit)");
        var ck = LoadedCheckpoint.Load(checkpointPath);
        int t = seq ?? ck.Config.MaxSeq;
        if (t <= 0 || t > ck.Config.MaxSeq) throw new CliUsageException($"--seq {t}: expected 1..{ck.Config.MaxSeq} (model '{ck.Config.Name}' context)");
        var source = DataSource.Load(dataSpec, text => Tokenizers.Open(tokenizer ?? ck.Tokenizer).Encode(text)); // shards need no tokenizer
        var windows = BatchSampler.Sequential(source.Tokens, batch, t, batches).ToList();
        if (windows.Count == 0)
            throw new CliUsageException($"--data {dataSpec} has {source.Tokens.Length:N0} tokens, too few for one batch of {batch} x {t} (+1); use a smaller --batch or --seq");
        using var dev = DeviceOption.Open(deviceRequest, stderr);
        using var model = new DeviceModel(dev, ck.Parameters, batch, t, training: false);
        double sum = 0;
        for (int i = 0; i < windows.Count; i++)
        {
            double loss = model.Loss(windows[i].Inputs, windows[i].Targets);
            sum += loss;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch {i + 1}/{windows.Count} loss {loss:F6}"));
        }
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loss {sum / windows.Count:F6}"));
        return 0;
    }
}
