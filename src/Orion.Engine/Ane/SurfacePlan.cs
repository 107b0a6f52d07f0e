// Surface allocation sizes for a program's inputs and outputs under a chip profile (R02, R04, R18, R20).
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;

namespace Orion.Engine.Ane;

/// <summary>
/// Bytes to allocate per surface, in binding order. Data is always packed C x S from byte 0 (R20); the rest is padding.
/// </summary>
public sealed record SurfacePlan(IReadOnlyList<int> InputBytes, IReadOnlyList<int> OutputBytes)
{
    public static int PackedBytes(MilType t) => checked((int)(t.EffectiveShape.ElementCount * DTypes.SizeOf(t.ElementType)));

    /// <summary>The smallest legal allocation for inputs and outputs given in binding order.</summary>
    public static SurfacePlan For(IReadOnlyList<MilBinding> inputs, IReadOnlyList<MilBinding> outputs, ChipProfile profile)
    {
        var ins = inputs.Select(i => Math.Max(PackedBytes(i.Type), profile.MinSurfaceBytes)).ToArray();
        var outs = outputs.Select(o => Math.Max(PackedBytes(o.Type), profile.MinSurfaceBytes)).ToArray();
        // R02: every output surface the same size.
        if (outs.Length > 0) Array.Fill(outs, outs.Max());
        switch (profile.InputSizes)
        {
            case InputSizeRule.Equal:
                if (ins.Length > 0) Array.Fill(ins, ins.Max());
                break;
            case InputSizeRule.AscendingInputsDescendingOutputs:
                for (int i = 1; i < ins.Length; i++) ins[i] = Math.Max(ins[i], ins[i - 1]);
                break;
        }
        return new SurfacePlan(ins, outs);
    }

    /// <summary>Checks caller-provided surfaces against the profile; returns every violation (empty when legal).</summary>
    public static IReadOnlyList<AneDiagnostic> Check(IReadOnlyList<MilBinding> inputs, IReadOnlyList<int> inputBytes,
        IReadOnlyList<MilBinding> outputs, IReadOnlyList<int> outputBytes, ChipProfile profile)
    {
        var d = new List<AneDiagnostic>();
        void Each(IReadOnlyList<MilBinding> vars, IReadOnlyList<int> bytes, string kind)
        {
            for (int i = 0; i < vars.Count; i++)
            {
                int packed = PackedBytes(vars[i].Type);
                if (bytes[i] < packed)
                    d.Add(new("R20", $"{kind} '{vars[i].Name}' {vars[i].Type} needs {packed:N0} packed bytes but its surface has {bytes[i]:N0}"));
                if (bytes[i] < profile.MinSurfaceBytes)
                {
                    var t = vars[i].Type.EffectiveShape;
                    var perSeq = t.Rank > 0 && t[-1] > 0 ? packed / t[-1] : 0;
                    var hint = perSeq > 0 ? $" (pad S to {(profile.MinSurfaceBytes + perSeq - 1) / perSeq}, or allocate a larger surface)" : "";
                    d.Add(new("R04", $"{kind} '{vars[i].Name}' surface is {bytes[i]:N0} bytes; the ANE needs >= {profile.MinSurfaceBytes:N0} per surface{hint}"));
                }
            }
        }
        Each(inputs, inputBytes, "input");
        Each(outputs, outputBytes, "output");
        if (outputBytes.Count > 1 && outputBytes.Distinct().Count() > 1)
            d.Add(new("R02", $"output surfaces have different sizes ({string.Join(", ", outputs.Select((o, i) => $"{o.Name}={outputBytes[i]:N0}"))} bytes); all outputs must share one allocation size (pad to the largest, {outputBytes.Max():N0})"));
        if (inputBytes.Count > 1)
        {
            if (profile.InputSizes == InputSizeRule.Equal && inputBytes.Distinct().Count() > 1)
                d.Add(new("R18", $"input surfaces have different sizes ({string.Join(", ", inputs.Select((x, i) => $"{x.Name}={inputBytes[i]:N0}"))} bytes); profile {profile.Name} needs equal input sizes (pad to {inputBytes.Max():N0})"));
            if (profile.InputSizes == InputSizeRule.AscendingInputsDescendingOutputs && inputBytes.Zip(inputBytes.Skip(1)).Any(p => p.Second < p.First))
                d.Add(new("R18", $"input surface sizes must ascend in binding order on profile {profile.Name}; got {string.Join(", ", inputBytes)}"));
        }
        return d;
    }
}
