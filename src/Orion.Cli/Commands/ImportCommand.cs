// `orion import llmc FILE.bin --out DIR` / `orion import llama2c FILE.bin --out DIR` (cli-contract.md): converts
// llm.c GPT-2 and llama2.c checkpoints to a checkpoint folder that eval, generate and train read.
using System.CommandLine;
using Orion.Engine.Model.Checkpoints;
using Orion.Engine.Model.Import;

namespace Orion.Cli.Commands;

internal static class ImportCommand
{
    public static Command Create(TextWriter stdout)
    {
        var import = new Command("import", "convert another project's checkpoint to a checkpoint folder");
        import.Subcommands.Add(Format("llmc", "an llm.c GPT-2 checkpoint (gpt2_124M.bin: fp32 version 3 or bf16 version 5)", LlmcCheckpoint.Read, stdout));
        import.Subcommands.Add(Format("llama2c", "a llama2.c checkpoint (stories15M/110M.bin, legacy layout)", Llama2cCheckpoint.Read, stdout));
        return import;
    }

    private static Command Format(string name, string what, Func<string, ImportedModel> read, TextWriter stdout)
    {
        var file = new Argument<string>("FILE.bin") { Description = what };
        var output = new Option<string>("--out") { Description = "checkpoint folder to write", Required = true };
        var tokenizer = new Option<string>("--tokenizer") { Description = "tokenizer to record for generate and eval on text: byte, gpt2:DIR or llama2c:FILE (default: none recorded; pass it to those commands)" };
        var command = new Command(name, $"import {what}") { file, output, tokenizer };
        command.SetAction(r =>
        {
            var outDir = r.GetValue(output)!;
            CommandChecks.OutputFolder(outDir, "--out");
            var spec = r.GetValue(tokenizer);
            if (spec is not null) Tokenizers.Open(spec); // fail now, not at generate time
            var imported = read(r.GetValue(file)!);
            Checkpoint.SaveWeights(outDir, imported.Parameters, imported.Source, spec ?? "");
            stdout.WriteLine($"imported {imported.Source}");
            stdout.WriteLine($"model {imported.Config.Name}: {imported.Config.Layers} layers, width {imported.Config.Channels}, {imported.Config.Heads} heads, vocab {imported.Config.VocabSize}, context {imported.Config.MaxSeq} ({imported.Parameters.Layout.Count:N0} parameters)");
            stdout.WriteLine($"wrote {outDir}");
            return 0;
        });
        return command;
    }
}
