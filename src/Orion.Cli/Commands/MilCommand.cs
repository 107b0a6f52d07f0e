// `orion mil run --program DIR --input NAME=FILE.npy ... --out DIR [--chip] [--trace]`: run any program folder on the emulated ANE.
using System.CommandLine;
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.IO;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;

namespace Orion.Cli.Commands;

internal static class MilCommand
{
    public static Command Create(TextWriter stdout)
    {
        var program = new Option<string>("--program") { Description = "program folder: model.mil plus the weight files it names", Required = true };
        var inputs = new Option<string[]>("--input") { Description = "NAME=FILE.npy, once per program input", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--out") { Description = "folder for NAME.npy of each output", Required = true };
        var chip = new Option<string>("--chip") { Description = "chip profile: m1, m3, m4 (default) or m5", DefaultValueFactory = _ => "m4" };
        var trace = new Option<bool>("--trace") { Description = "print every executed op with its shapes" };
        var run = new Command("run", "run a MIL program folder on the emulated ANE") { program, inputs, output, chip, trace };
        run.SetAction(r => Run(r.GetValue(program)!, r.GetValue(inputs) ?? [], r.GetValue(output)!, ChipProfile.Parse(r.GetValue(chip)!), r.GetValue(trace), stdout));
        return new Command("mil", "work with MIL programs") { run };
    }

    internal static int Run(string programDir, string[] inputSpecs, string outDir, ChipProfile profile, bool trace, TextWriter stdout)
    {
        var given = ParseInputs(inputSpecs);
        var source = AneProgramSource.FromFolder(programDir);
        using var device = new EmulatedAneDevice(new EmulatedDeviceOptions { Profile = profile, Trace = trace ? stdout : null, Budget = new CompileBudget(CompileBudget.DefaultLimit) });
        var p = device.Compile(source);
        device.Load(p);
        foreach (var w in device.LastWarnings) stdout.WriteLine($"warning {w}");

        var expected = string.Join(", ", p.Inputs.Select(i => $"{i.Name} {i.Type}"));
        foreach (var name in given.Keys.Where(n => p.Inputs.All(i => i.Name != n)))
            throw new CliUsageException($"--input {name}=...: the program has no input '{name}'; its inputs are {expected}");
        var surfaces = new List<AneSurface>();
        try
        {
            for (int i = 0; i < p.Inputs.Count; i++)
            {
                var b = p.Inputs[i];
                if (!given.TryGetValue(b.Name, out var file))
                    throw new CliUsageException($"input '{b.Name}' ({b.Type}) is missing: pass --input {b.Name}=FILE.npy (the program's inputs are {expected})");
                var array = Npy.Read(file);
                CheckShape(b.Name, file, array.Shape, b.Type.EffectiveShape);
                var s = device.CreateSurface(p.Surfaces.InputBytes[i]);
                s.Write(TensorCodec.Encode(array.Data, b.Type.ElementType));
                surfaces.Add(s);
            }
            var outs = p.Outputs.Select((_, i) => device.CreateSurface(p.Surfaces.OutputBytes[i])).ToList();
            surfaces.AddRange(outs);
            device.Evaluate(p, surfaces.Take(p.Inputs.Count).ToList(), outs);
            Directory.CreateDirectory(outDir);
            for (int i = 0; i < p.Outputs.Count; i++)
            {
                var b = p.Outputs[i];
                var bytes = new byte[SurfacePlan.PackedBytes(b.Type)];
                outs[i].Read(bytes);
                var values = TensorCodec.Decode(bytes, b.Type.ElementType);
                var path = Path.Combine(outDir, b.Name + ".npy");
                var dtype = b.Type.ElementType == DType.Fp16 ? DType.Fp16 : DType.Fp32;
                Npy.Write(path, new NpyArray(dtype, b.Type.EffectiveShape.ToArray(), values));
                stdout.WriteLine($"wrote {path} {b.Type}");
            }
        }
        finally
        {
            foreach (var s in surfaces) s.Dispose();
            device.Release(p);
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
            if (!d.TryAdd(spec[..eq], spec[(eq + 1)..])) throw new CliUsageException($"--input '{spec[..eq]}' is given twice");
        }
        return d;
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
