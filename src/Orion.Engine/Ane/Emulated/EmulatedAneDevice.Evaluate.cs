// Evaluate and delta patch of the emulated ANE (ane-reference.md section 2 steps 6-9, section 3).
using System.Buffers;
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;

namespace Orion.Engine.Ane.Emulated;

public sealed partial class EmulatedAneDevice
{
    public void Evaluate(AneProgram program, IReadOnlyList<AneSurface> inputs, IReadOnlyList<AneSurface> outputs)
    {
        var p = Own(program);
        DeviceChecks.Evaluate(p, inputs, outputs, Profile);

        // R19: surfaces arrive in alphabetical order of parameter name; the plan wants declaration order.
        // R03: outputs bind in alphabetical order of variable name; data is packed from byte 0 (R20). Surfaces are
        // decoded straight into the plan's buffers and encoded straight out of them, through one pooled byte buffer.
        var planInputs = p.Plan.Inputs;
        var planOutputs = p.Plan.Outputs;
        var inputSurface = new int[planInputs.Count];
        for (int k = 0; k < planInputs.Count; k++) inputSurface[k] = IndexOf(p.Inputs, planInputs[k].Name, "input");
        var outputSurface = new int[planOutputs.Count];
        for (int k = 0; k < planOutputs.Count; k++) outputSurface[k] = IndexOf(p.Outputs, planOutputs[k].Name, "output");
        int maxBytes = p.Inputs.Concat(p.Outputs).Select(b => SurfacePlan.PackedBytes(b.Type)).DefaultIfEmpty(0).Max();
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, maxBytes));
        try
        {
            p.Plan.Run(
                (k, dst) =>
                {
                    int i = inputSurface[k];
                    var bytes = buffer.AsSpan(0, SurfacePlan.PackedBytes(p.Inputs[i].Type));
                    inputs[i].Read(bytes);
                    TensorCodec.Decode(bytes, p.Inputs[i].Type.ElementType, dst);
                },
                (k, values) =>
                {
                    int i = outputSurface[k];
                    var bytes = buffer.AsSpan(0, SurfacePlan.PackedBytes(p.Outputs[i].Type));
                    TensorCodec.Encode(values, p.Outputs[i].Type.ElementType, bytes);
                    outputs[i].Write(bytes);
                },
                _trace);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void PatchWeights(AneProgram program, IReadOnlyDictionary<string, byte[]> weightFiles)
    {
        var p = Own(program);
        var merged = DeviceChecks.Patch(p.Main, p.CurrentWeights, weightFiles, Profile);

        Unload(p);
        // The reload bakes the bytes being written (validated above) instead of reading the files back: the same data
        // (R07) without a second pass through the kernel. Writing and baking touch disjoint memory, so they run side
        // by side; the plan is kept (no parse, no planning). If either fails the program stays unloaded, and Load
        // re-reads whatever the files hold.
        Parallel.Invoke(
            () =>
            {
                foreach (var (key, bytes) in weightFiles)
                {
                    // In place, not an atomic replace: the ANE's delta reload reads the same files (section 3). No
                    // fsync: readers see the page cache, and the folder is scratch that a crash discards anyway (the
                    // caller holds the weights and re-patches); an fsync cost ~0.7 ms per 1.2 MB file.
                    AtomicFile.OverwriteInPlace(Path.Combine(p.Folder, AneProgramSource.RelativePath(key)), bytes, flushToDisk: false);
                    p.CurrentWeights[key] = bytes;
                }
            },
            () => p.Plan.BindWeights(merged));
        p.IsLoaded = true; // loads even if the caller had unloaded: a patched program is ready to evaluate
        p.PatchCount++;
    }

    private static int IndexOf(IReadOnlyList<MilBinding> list, string name, string kind)
    {
        for (int i = 0; i < list.Count; i++) if (list[i].Name == name) return i;
        throw new InvalidOperationException($"the program binds no {kind} '{name}'");
    }
}
