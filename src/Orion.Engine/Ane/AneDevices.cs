// Creates the device a command asked for (`--device auto|emulated|ane`), after DeviceSelection has decided.
using Orion.Engine.Ane.Apple;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Ane;

/// <summary>Settings that apply to whichever device is picked. A null profile means: the chip's own (ANE) or m4 (emulator).</summary>
public sealed record DeviceRequest
{
    public DeviceChoice Choice { get; init; } = DeviceChoice.Auto;
    public ChipProfile? Profile { get; init; }
    public CompileBudget? Budget { get; init; }
    public DeltaPatchMode DeltaPatch { get; init; } = DeltaPatchMode.InPlace;
    public TextWriter? Trace { get; init; }
    /// <summary>The emulated device's OS build (its program-cache key); null: ORION_OS_BUILD, else the host's.</summary>
    public string? OsBuild { get; init; }
}

public static class AneDevices
{
    /// <summary>Decides and opens the device; <paramref name="decision"/> says which and why (print it for the user).</summary>
    public static IAneDevice Open(DeviceRequest request, out DeviceDecision decision, HostFacts? host = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        decision = DeviceSelection.Decide(request.Choice, host ?? HostFacts.Current());
        if (decision.Kind == DeviceKind.Emulated)
            return new EmulatedAneDevice(new EmulatedDeviceOptions { Profile = request.Profile ?? ChipProfile.Default, Budget = request.Budget, Trace = request.Trace, OsBuild = request.OsBuild });
        if (!OperatingSystem.IsMacOS())
            throw new DeviceUnavailableException("the Apple Neural Engine device runs only on macOS");
        return AppleNeuralEngineDevice.Open(new AppleDeviceOptions { Profile = request.Profile, Budget = request.Budget, DeltaPatch = request.DeltaPatch });
    }
}
