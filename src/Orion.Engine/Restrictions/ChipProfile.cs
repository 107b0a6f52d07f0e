// Chip profiles: the switches for the disputed and chip-specific rules of ane-reference.md section 7.
// Defaults follow the Orion paper (measured on M4); `orion doctor` on a real Mac settles the disputed ones.
namespace Orion.Engine.Restrictions;

/// <summary>How input surface sizes must relate (R18, disputed).</summary>
public enum InputSizeRule
{
    /// <summary>Every input surface has the same allocation size (Orion).</summary>
    Equal,
    /// <summary>Input sizes ascend in binding order and output sizes descend (another public report).</summary>
    AscendingInputsDescendingOutputs,
}

public sealed record ChipProfile(
    string Name,
    bool ConcatAllowed,
    int MinSurfaceBytes,
    InputSizeRule InputSizes,
    bool MultiBlobFileAllowed,
    int MinChannels,
    int BlobAlignment,
    int MaxBlobTensors,
    int MaxConvInputChannels,
    int MatmulInnerMultiple)
{
    /// <summary>M1: the multi-blob weight file failed to load (section 5).</summary>
    public static ChipProfile M1 { get; } = new("m1", ConcatAllowed: false, MinSurfaceBytes: 49_152, InputSizeRule.Equal,
        MultiBlobFileAllowed: false, MinChannels: 1, BlobAlignment: 64, MaxBlobTensors: 16, MaxConvInputChannels: 16_384, MatmulInnerMultiple: 32);

    public static ChipProfile M3 { get; } = M1 with { Name = "m3", MultiBlobFileAllowed = true };

    /// <summary>M4: what the Orion paper measured; the default.</summary>
    public static ChipProfile M4 { get; } = M3 with { Name = "m4" };

    /// <summary>M5: 64+ channels needed; 128-byte blob alignment claimed (unverified, applied to be safe).</summary>
    public static ChipProfile M5 { get; } = M4 with { Name = "m5", MinChannels = 64, BlobAlignment = 128 };

    public static ChipProfile Default => M4;

    public static IReadOnlyList<ChipProfile> All { get; } = [M1, M3, M4, M5];

    public static ChipProfile Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(p => p.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"unknown chip profile '{name}', expected one of m1, m3, m4, m5 (m2 behaves as m1; pick the closest generation)", nameof(name));
    }

    public override string ToString() => Name;
}
