// Argument checks every device makes the same way before touching its hardware (or its emulation of it).
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Ane;

public static class DeviceChecks
{
    /// <summary>Loaded, one surface per binding, and (unless probing) surface sizes legal under R02, R04, R18 and R20.</summary>
    public static void Evaluate(AneProgram program, IReadOnlyList<AneSurface> inputs, IReadOnlyList<AneSurface> outputs, ChipProfile profile, bool checkSizes = true)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(profile);
        if (!program.IsLoaded) throw new InvalidOperationException($"program {program.Id[..16]} is not loaded: call Load before Evaluate (and after Unload or PatchWeights failures)");
        if (inputs.Count != program.Inputs.Count || outputs.Count != program.Outputs.Count)
            throw new ArgumentException($"program binds {program.Inputs.Count} input(s) ({string.Join(", ", program.Inputs.Select(i => i.Name))}) and {program.Outputs.Count} output(s) ({string.Join(", ", program.Outputs.Select(o => o.Name))}); got {inputs.Count} and {outputs.Count} surfaces");
        if (!checkSizes) return;
        var violations = SurfacePlan.Check(program.Inputs, inputs.Select(s => s.ByteCount).ToList(), program.Outputs, outputs.Select(s => s.ByteCount).ToList(), profile);
        if (violations.Count > 0) throw new AneRestrictionException(violations);
    }

    /// <summary>
    /// The program's weight files with <paramref name="weightFiles"/> applied, after checking that every key already
    /// belongs to the program and (unless probing) that the result passes the catalog's weight rules — all before
    /// anything is written, so a bad patch loses nothing.
    /// </summary>
    public static Dictionary<string, byte[]> Patch(MilFunction main, IReadOnlyDictionary<string, byte[]> current, IReadOnlyDictionary<string, byte[]> weightFiles,
        ChipProfile profile, bool enforceCatalog = true)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(weightFiles);
        var unknown = weightFiles.Keys.Where(k => !current.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"cannot patch {string.Join(", ", unknown)}: the program's weight files are {string.Join(", ", current.Keys)}", nameof(weightFiles));
        var merged = new Dictionary<string, byte[]>(current, StringComparer.Ordinal);
        foreach (var (k, v) in weightFiles) merged[k] = v;
        if (enforceCatalog) RestrictionCatalog.Enforce(main, merged, profile, weightRulesOnly: true);
        return merged;
    }
}
