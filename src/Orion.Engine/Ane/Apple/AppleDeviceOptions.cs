// Settings of the macOS ANE device.
using Orion.Engine.Restrictions;

namespace Orion.Engine.Ane.Apple;

/// <summary>How a delta patch gets new weights into a compiled program (section 3; which works is disputed).</summary>
public enum DeltaPatchMode
{
    /// <summary>Orion's method: unload, overwrite the weight files (and <c>data</c>) in place, load without compiling. The default.</summary>
    InPlace,
    /// <summary>As <see cref="InPlace"/> but each file is replaced atomically (temp + rename); one public report says this leaves outputs unchanged.</summary>
    AtomicReplace,
    /// <summary>A new descriptor with the new weights whose id matches; it reuses the donor's folder, then replaces the donor's model.</summary>
    NewDescriptor,
}

public sealed record AppleDeviceOptions
{
    /// <summary>Restriction profile; default: the one for the detected chip (<see cref="AppleChip.Profile"/>).</summary>
    public ChipProfile? Profile { get; init; }

    /// <summary>Compile budget; default the process-wide <see cref="CompileBudget.AneProcess"/> (100).</summary>
    public CompileBudget? Budget { get; init; }

    public DeltaPatchMode DeltaPatch { get; init; } = DeltaPatchMode.InPlace;

    /// <summary>QoS passed to compile, load, evaluate and unload (section 2: 21; 0-63 accepted).</summary>
    public uint Qos { get; init; } = Native.NativeConstants.DefaultQos;

    /// <summary>
    /// Only for `orion doctor` probing a disputed rule: skip the restriction catalog and the surface-size checks so the
    /// hardware itself answers. Never set this for real work.
    /// </summary>
    internal bool ProbeWithoutChecks { get; init; }
}
