// `orion mil run --program DIR --input NAME=FILE.npy ... --out DIR [--chip] [--trace] [--device]`: run any program folder
// on the emulated ANE (the default, as cli-contract.md states) or on the real one.
using System.CommandLine;
using Orion.Engine.Ane;
using Orion.Engine.IO;
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;

namespace Orion.Cli.Commands;

internal static class MilCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var program = new Option<string>("--program") { Description = "program folder: model.mil plus the weight files it names", Required = true };
        var inputs = new Option<string[]>("--input") { Description = "NAME=FILE.npy, once per program input", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--out") { Description = "folder for NAME.npy of each output", Required = true };
        var chip = new Option<string>("--chip") { Description = "chip profile: m1, m3, m4 (default) or m5", DefaultValueFactory = _ => "m4" };
        var trace = new Option<bool>("--trace") { Description = "print every executed op with its shapes (emulator)" };
        var device = DeviceOption.Create("emulated");
        var delta = DeviceOption.CreateDeltaPatch();
        var run = new Command("run", "run a MIL program folder on the emulated ANE (or the real one with --device ane)") { program, inputs, output, chip, trace, device, delta };
        run.SetAction(r =>
        {
            var request = new DeviceRequest
            {
                Choice = DeviceSelection.Parse(r.GetValue(device)!),
                Profile = r.GetResult(chip) is { Implicit: false } ? ChipProfile.Parse(r.GetValue(chip)!) : null,
                Budget = new CompileBudget(CompileBudget.DefaultLimit),
                DeltaPatch = DeviceOption.ParseDeltaPatch(r.GetValue(delta)!),
                Trace = r.GetValue(trace) ? stdout : null,
            };
            return Run(r.GetValue(program)!, r.GetValue(inputs) ?? [], r.GetValue(output)!, request, stdout, stderr);
        });
        return new Command("mil", "work with MIL programs") { run };
    }

    internal static int Run(string programDir, string[] inputSpecs, string outDir, DeviceRequest request, TextWriter stdout, TextWriter stderr)
    {
        var given = ParseInputs(inputSpecs);
        CommandChecks.OutputFolder(outDir, "--out");
        var source = AneProgramSource.FromFolder(programDir);
        using var device = DeviceOption.Open(request, stderr);
        var p = device.Compile(source);
        device.Load(p);
        foreach (var w in device.LastWarnings) stdout.WriteLine($"warning {w}");
        CheckInputNames(p, given);

        // AneSession sizes the surfaces from the program's plan (R02, R04, R18) and binds them in R19/R03 order.
        using var session = new AneSession(device, p);
        foreach (var b in p.Inputs) session.SetInput(b.Name, ReadInput(b, given[b.Name]));
        session.Run();
        Directory.CreateDirectory(outDir);
        foreach (var b in p.Outputs)
        {
            var path = Path.Combine(outDir, b.Name + ".npy");
            var dtype = b.Type.ElementType == DType.Fp16 ? DType.Fp16 : DType.Fp32;
            Npy.Write(path, new NpyArray(dtype, b.Type.EffectiveShape.ToArray(), session.GetOutput(b.Name)));
            stdout.WriteLine($"wrote {path} {b.Type}");
        }
        return 0;
    }

    private static Dictionary<string, string> ParseInputs(string[] specs)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            int eq = spec.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == spec.Length - 1) throw new CliUsageException($"--input '{spec}' is not NAME=FILE.npy (e.g. --input x=x.npy)");
            if (!d.TryAdd(spec[..eq], spec[(eq + 1)..])) throw new CliUsageException($"--input '{spec[..eq]}' is given twice; pass each program input once");
        }
        return d;
    }

    /// <summary>Every --input names a program input and every program input has one; all offenders in one message.</summary>
    private static void CheckInputNames(AneProgram p, Dictionary<string, string> given)
    {
        var expected = p.Inputs.Count == 0 ? "none" : string.Join(", ", p.Inputs.Select(i => $"{i.Name} {i.Type}"));
        var unknown = given.Keys.Where(n => p.Inputs.All(i => i.Name != n)).ToList();
        if (unknown.Count > 0)
            throw new CliUsageException($"--input {string.Join(", ", unknown.Select(n => $"'{n}'"))}: the program has no such input; its inputs are {expected}");
        var missing = p.Inputs.Where(b => !given.ContainsKey(b.Name)).ToList();
        if (missing.Count > 0)
            throw new CliUsageException($"input {string.Join(", ", missing.Select(b => $"'{b.Name}'"))} missing: pass {string.Join(" ", missing.Select(b => $"--input {b.Name}=FILE.npy"))} (the program's inputs are {expected})");
    }

    private static float[] ReadInput(MilBinding b, string file)
    {
        if (!File.Exists(file))
            throw new CliUsageException($"input '{b.Name}': file '{file}' does not exist (expected a .npy file of {b.Type}; check the path in --input {b.Name}=...)");
        var array = Npy.Read(file);
        CheckShape(b.Name, file, array.Shape, b.Type.EffectiveShape);
        return array.Data;
    }

    // A tensor matches when its dims equal the program's, or equal them once size-1 dims are dropped ([C, S] for [1, C, 1, S]).
    private static void CheckShape(string name, string file, int[] got, Shape want)
    {
        var a = got.Where(d => d != 1).ToArray();
        var b = want.ToArray().Where(d => d != 1).ToArray();
        if (!got.SequenceEqual(want.ToArray()) && !a.SequenceEqual(b))
            throw new CliUsageException($"input '{name}' from {file} has shape [{string.Join(", ", got)}], expected {want} (or the same without its size-1 dims); the ANE's programs have static shapes");
    }
}
