// `orion compile --model NAME --out DIR [--chip] [--dump-after PASS]`: one program folder per program.
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Orion.Engine.Compiler;
using Orion.Engine.Model;
using Orion.Engine.Model.Device;
using Orion.Engine.Programs;
using Orion.Engine.Restrictions;

namespace Orion.Cli.Commands;

internal static class CompileCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Option<string>("--model") { Description = $"a model ({string.Join(", ", ModelConfig.Presets.Keys)}: every layer's forward and backward-data programs), a composite program ({string.Join(", ", CompositePrograms.Builders.Keys)}), or '{CompositePrograms.All}' for all composites", Required = true };
        var output = new Option<string>("--out") { Description = "folder to write into (one sub-folder per program)", Required = true };
        var chip = new Option<string>("--chip") { Description = "chip profile: m1, m3, m4 (default) or m5", DefaultValueFactory = _ => "m4" };
        var dump = new Option<string?>("--dump-after") { Description = "print the graph after this pass: " + string.Join(", ", OrionCompiler.PassNames) };
        var multiBlob = new Option<bool>("--multi-blob") { Description = "write all weights into one multi-blob file (fails on m1)" };
        var seed = new Option<ulong>("--seed") { Description = "seed of the generated weights", DefaultValueFactory = _ => 1, CustomParser = ParseSeed };
        var cmd = new Command("compile", "compile programs to ANE MIL + weight blobs + program.json") { model, output, chip, dump, multiBlob, seed };
        cmd.SetAction(r =>
        {
            var profile = ChipProfile.Parse(r.GetValue(chip)!);
            var name = r.GetValue(model)!;
            CommandChecks.OutputFolder(r.GetValue(output)!, "--out");
            if (ModelConfig.Presets.ContainsKey(name)) return CompileModel(ModelConfig.Preset(name), r.GetValue(seed), profile, r.GetValue(output)!, r.GetValue(multiBlob), dumpAfter: r.GetValue(dump), stdout);
            if (name != CompositePrograms.All && !CompositePrograms.Builders.ContainsKey(name))
                throw new CliUsageException($"--model '{name}' is not known; expected a model ({string.Join(", ", ModelConfig.Presets.Keys)}), a composite program ({string.Join(", ", CompositePrograms.Builders.Keys)}) or '{CompositePrograms.All}'");
            var names = name == CompositePrograms.All ? CompositePrograms.Builders.Keys.ToList() : [name];
            var dumpAfter = r.GetValue(dump);
            if (dumpAfter is not null && !OrionCompiler.PassNames.Contains(dumpAfter))
                throw new CliUsageException($"--dump-after '{dumpAfter}' is not a pass; expected one of {string.Join(", ", OrionCompiler.PassNames)}");
            var options = new CompilerOptions { Profile = profile, MultiBlobFile = r.GetValue(multiBlob), DumpAfter = dumpAfter, DumpWriter = stdout };
            foreach (var n in names)
            {
                var graph = CompositePrograms.Build(n, r.GetValue(seed));
                var program = OrionCompiler.Compile(graph, options);
                var dir = Path.Combine(r.GetValue(output)!, n);
                program.WriteTo(dir);
                foreach (var w in program.Warnings) stdout.WriteLine($"warning {w}");
                stdout.WriteLine($"compiled {n} for {profile.Name}: {dir} ({program.Manifest.Inputs.Count} input(s), {program.Manifest.Outputs.Count} output(s), {program.Weights.Count} weight file(s))");
            }
            return 0;
        });
        return cmd;
    }

    // A model's programs with seeded weights at the model's context, named as the trainer names them.
    private static int CompileModel(ModelConfig config, ulong seed, ChipProfile profile, string outDir, bool multiBlob, string? dumpAfter, TextWriter stdout)
    {
        if (dumpAfter is not null && !OrionCompiler.PassNames.Contains(dumpAfter))
            throw new CliUsageException($"--dump-after '{dumpAfter}' is not a pass; expected one of {string.Join(", ", OrionCompiler.PassNames)}");
        var p = ModelParameters.Initialize(config, seed);
        var options = new CompilerOptions { Profile = profile, MultiBlobFile = multiBlob, DumpAfter = dumpAfter, DumpWriter = stdout, InlineConstantLimit = Math.Min(64, config.Channels) };
        for (int l = 0; l < config.Layers; l++)
            foreach (var kind in Enum.GetValues<ProgramKind>())
            {
                var program = OrionCompiler.Compile(LayerPrograms.Build(p, kind, l, config.MaxSeq), options);
                var name = LayerPrograms.ProgramName(config, kind, l);
                var dir = Path.Combine(outDir, name);
                program.WriteTo(dir);
                foreach (var w in program.Warnings) stdout.WriteLine($"warning {w}");
                stdout.WriteLine($"compiled {name} for {profile.Name}: {dir} ({program.Manifest.Inputs.Count} input(s), {program.Manifest.Outputs.Count} output(s), {program.Weights.Count} weight file(s))");
            }
        return 0;
    }

    // The default parser's error names the .NET type (System.UInt64); say what a seed is instead.
    private static ulong ParseSeed(ArgumentResult r)
    {
        var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
        r.AddError($"--seed '{text}' is not a seed: expected a whole number from 0 to {ulong.MaxValue}");
        return 0;
    }
}
