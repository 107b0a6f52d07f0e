// What every device does before its compiler sees a program: parse the MIL, check that every BLOBFILE has a weight
// file, enforce the restriction catalog and work out the binding order and surface sizes. The emulator and the
// macOS device share it, so a program the emulator rejects is rejected on a Mac with the same rule id.
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Ane;

/// <summary>A checked program: its main function, bindings in R19/R03 order, surface plan and catalog warnings.</summary>
public sealed record CheckedProgram(
    MilFunction Main,
    IReadOnlyList<MilBinding> Inputs,
    IReadOnlyList<MilBinding> Outputs,
    SurfacePlan Surfaces,
    IReadOnlyList<AneDiagnostic> Warnings);

public static class AneFrontEnd
{
    /// <summary>
    /// Parses and checks <paramref name="source"/>. With <paramref name="enforceCatalog"/> false (only `orion doctor`
    /// probing a disputed rule on real hardware) the catalog is not applied, everything else is.
    /// </summary>
    public static CheckedProgram Check(AneProgramSource source, ChipProfile profile, bool enforceCatalog = true)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(profile);
        var program = MilParser.Parse(source.MilText);
        var main = program.Main;
        var missing = AneProgramSource.BlobPaths(program).Where(k => !source.Weights.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new FileNotFoundException($"BLOBFILE path(s) {string.Join(", ", missing.Select(m => $"\"{m}\""))} have no weight file in the program (expected keys like @model_path/weights/w.bin matching the MIL exactly)");
        var warnings = enforceCatalog ? RestrictionCatalog.Enforce(main, source.Weights, profile) : [];
        var inputs = main.Parameters.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var outputs = OutputBindings(main).OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
        return new CheckedProgram(main, inputs, outputs, SurfacePlan.For(inputs, outputs, profile), warnings);
    }

    /// <summary>The returned variables with their types, in return order.</summary>
    public static IReadOnlyList<MilBinding> OutputBindings(MilFunction main)
    {
        ArgumentNullException.ThrowIfNull(main);
        var known = new Dictionary<string, MilBinding>(StringComparer.Ordinal);
        foreach (var p in main.Parameters) known[p.Name] = p;
        foreach (var s in main.Statements)
            foreach (var o in s.Outputs) known[o.Name] = o;
        return main.Outputs.Select(n => known.TryGetValue(n, out var b) ? b
            : throw new AneRestrictionException(new AneDiagnostic("R14", $"returned variable '{n}' is not defined by any statement or parameter; every returned variable must be a live node"))).ToList();
    }
}
