// `--device auto|emulated|ane`: which IAneDevice a command gets, decided from facts about the host so the rule
// can be tested on any machine. auto picks the real ANE on Apple silicon macOS with the private framework, the
// emulator elsewhere, and always says which and why.
using System.Runtime.InteropServices;

namespace Orion.Engine.Ane;

public enum DeviceChoice
{
    Auto,
    Emulated,
    Ane,
}

public enum DeviceKind
{
    Emulated,
    Ane,
}

/// <summary>What the selector needs to know about the host.</summary>
public sealed record HostFacts(bool IsMacOS, Architecture ProcessArchitecture, bool AneFrameworkPresent, string Description)
{
    public bool IsAppleSilicon => IsMacOS && ProcessArchitecture == Architecture.Arm64;

    public static HostFacts Current()
    {
        bool mac = OperatingSystem.IsMacOS();
        // The framework's binary lives in the dyld shared cache, not on disk; its bundle folder does exist.
        bool framework = mac && Directory.Exists(Apple.Native.NativeLibraries.AppleNeuralEngineFramework);
        return new HostFacts(mac, RuntimeInformation.ProcessArchitecture, framework, $"{RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}");
    }
}

/// <summary>The decision and a sentence saying why, for the user.</summary>
public sealed record DeviceDecision(DeviceKind Kind, string Reason)
{
    public override string ToString() => $"device: {(Kind == DeviceKind.Ane ? "ane" : "emulated")} ({Reason})";
}

public sealed class DeviceUnavailableException(string message) : Exception(message);

public static class DeviceSelection
{
    public static DeviceChoice Parse(string value) => (value ?? "").Trim().ToLowerInvariant() switch
    {
        "auto" => DeviceChoice.Auto,
        "emulated" or "emulator" => DeviceChoice.Emulated,
        "ane" => DeviceChoice.Ane,
        _ => throw new ArgumentException($"--device '{value}' is not a device; expected auto (the ANE on Apple silicon, else the emulator), emulated or ane"),
    };

    public static DeviceDecision Decide(DeviceChoice choice, HostFacts host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var missing = WhyNoAne(host);
        return choice switch
        {
            DeviceChoice.Emulated => new DeviceDecision(DeviceKind.Emulated, "asked for with --device emulated"),
            DeviceChoice.Ane when missing is null => new DeviceDecision(DeviceKind.Ane, "asked for with --device ane"),
            DeviceChoice.Ane => throw new DeviceUnavailableException(
                $"--device ane needs the Apple Neural Engine, but {missing}. Use --device emulated (or auto) to run on the emulated ANE, which enforces the same restrictions."),
            DeviceChoice.Auto when missing is null => new DeviceDecision(DeviceKind.Ane, $"auto: Apple silicon with the AppleNeuralEngine framework ({host.Description})"),
            _ => new DeviceDecision(DeviceKind.Emulated, $"auto: {missing}"),
        };
    }

    /// <summary>Null when the host can run the real device, else the reason it cannot.</summary>
    public static string? WhyNoAne(HostFacts host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!host.IsMacOS) return $"this machine is not a Mac ({host.Description})";
        if (host.ProcessArchitecture != Architecture.Arm64)
            return $"this process runs as {host.ProcessArchitecture}; the ANE needs Apple silicon and a native arm64 process (not Rosetta)";
        if (!host.AneFrameworkPresent)
            return $"{Apple.Native.NativeLibraries.AppleNeuralEngineFramework} is missing on this Mac";
        return null;
    }
}
