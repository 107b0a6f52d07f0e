// `orion generate --checkpoint DIR|FILE --prompt TEXT [--tokens N] [--temperature T] [--seed S] [--lora DIR]`
// (cli-contract.md): prints the prompt and its continuation, streaming tokens as they come.
using System.CommandLine;
using Orion.Engine.Ane;
using Orion.Engine.Model.Checkpoints;
using Orion.Engine.Model.Device;
using Orion.Engine.Model.Inference;

namespace Orion.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "checkpoint folder, run directory (its newest checkpoint) or model.safetensors", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "text to continue", Required = true };
        var tokens = new Option<int>("--tokens") { Description = "tokens to generate (default 100)", DefaultValueFactory = _ => 100 };
        var temperature = new Option<float>("--temperature") { Description = "0 = greedy; higher = more random (default 0.8)", DefaultValueFactory = _ => 0.8f };
        var topK = new Option<int>("--top-k") { Description = "sample among the k likeliest tokens (default 40; 0 = all)", DefaultValueFactory = _ => 40 };
        var seed = new Option<ulong>("--seed") { Description = "sampling seed (default 1)", DefaultValueFactory = _ => 1UL };
        var lora = new Option<string>("--lora") { Description = "LoRA adapter folder (adapter.safetensors), passed to the programs as inputs" };
        var window = new Option<int?>("--window") { Description = "tokens the fixed-shape programs see (default: the model's context)" };
        var tokenizer = new Option<string>("--tokenizer") { Description = "byte, gpt2:DIR or llama2c:FILE (default: the checkpoint's)" };
        var device = DeviceOption.Create("auto");
        var generate = new Command("generate", "generate text from a checkpoint") { checkpoint, prompt, tokens, temperature, topK, seed, lora, window, tokenizer, device };
        generate.SetAction(r => Run(new Settings(r.GetValue(checkpoint)!, r.GetValue(prompt)!, r.GetValue(tokens), r.GetValue(temperature), r.GetValue(topK),
            r.GetValue(seed), r.GetValue(lora), r.GetValue(window), r.GetValue(tokenizer)),
            new DeviceRequest { Choice = DeviceSelection.Parse(r.GetValue(device)!), Budget = new CompileBudget(CompileBudget.DefaultLimit) }, stdout, stderr));
        return generate;
    }

    internal sealed record Settings(string Checkpoint, string Prompt, int Tokens, float Temperature, int TopK, ulong Seed, string? Lora, int? Window, string? Tokenizer);

    internal static int Run(Settings s, DeviceRequest deviceRequest, TextWriter stdout, TextWriter stderr)
    {
        if (s.Tokens < 0) throw new CliUsageException($"--tokens {s.Tokens}: expected zero or more");
        if (!(s.Temperature >= 0) || !float.IsFinite(s.Temperature)) throw new CliUsageException($"--temperature {s.Temperature}: expected 0 (greedy) or a positive number");
        if (s.TopK < 0) throw new CliUsageException($"--top-k {s.TopK}: expected 0 (all) or a positive number");
        var ck = LoadedCheckpoint.Load(s.Checkpoint);
        int w = s.Window ?? ck.Config.MaxSeq;
        if (w <= 0 || w > ck.Config.MaxSeq) throw new CliUsageException($"--window {w}: expected 1..{ck.Config.MaxSeq} (model '{ck.Config.Name}' context)");
        var tok = Tokenizers.Open(s.Tokenizer ?? ck.Tokenizer);
        var adapter = s.Lora is null ? null : LoraAdapter.Load(s.Lora, ck.Config);
        var prompt = tok.Encode(s.Prompt).Select(t => (int)t).ToArray();
        using var dev = DeviceOption.Open(deviceRequest, stderr);
        using var model = new DeviceModel(dev, ck.Parameters, 1, w, training: false, lora: adapter?.Shape);
        if (adapter is not null) model.SetAdapter(adapter);
        stdout.Write(s.Prompt);
        var produced = new List<ushort>();
        string shown = "";
        foreach (var t in new Generator(model).Generate(prompt, s.Tokens, s.Temperature, s.TopK, s.Seed))
        {
            // Decode the whole continuation each time so multi-byte characters appear only once complete.
            produced.Add((ushort)t);
            var text = tok.Decode(produced.ToArray());
            if (text.StartsWith(shown, StringComparison.Ordinal) && !text.EndsWith('\uFFFD'))
            {
                stdout.Write(text[shown.Length..]);
                shown = text;
            }
        }
        var final = tok.Decode(produced.ToArray());
        if (final.StartsWith(shown, StringComparison.Ordinal)) stdout.Write(final[shown.Length..]);
        stdout.WriteLine();
        return 0;
    }
}
