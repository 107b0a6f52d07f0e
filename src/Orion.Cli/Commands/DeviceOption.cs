// `--device auto|emulated|ane` and `--delta-patch`, shared by the commands that run programs.
using System.CommandLine;
using Orion.Engine.Ane;
using Orion.Engine.Ane.Apple;

namespace Orion.Cli.Commands;

internal static class DeviceOption
{
    public static Option<string> Create(string defaultValue) => new("--device")
    {
        Description = "auto (the ANE on Apple silicon, else the emulator), emulated, or ane",
        DefaultValueFactory = _ => defaultValue,
    };

    public static Option<string> CreateDeltaPatch() => new("--delta-patch")
    {
        Description = "how the ANE device rewrites weights without compiling: in-place (default), atomic-replace or new-descriptor (see `orion doctor`)",
        DefaultValueFactory = _ => "in-place",
    };

    public static DeltaPatchMode ParseDeltaPatch(string value) => (value ?? "").Trim().ToLowerInvariant() switch
    {
        "in-place" => DeltaPatchMode.InPlace,
        "atomic-replace" => DeltaPatchMode.AtomicReplace,
        "new-descriptor" => DeltaPatchMode.NewDescriptor,
        _ => throw new CliUsageException($"--delta-patch '{value}' is not a variant; expected in-place, atomic-replace or new-descriptor"),
    };

    /// <summary>
    /// Opens the device. When the user asked for auto or ane, says on <paramref name="stderr"/> which one was picked
    /// and why (the default emulator of `mil run` is what the contract promises, so it goes unmentioned).
    /// </summary>
    public static IAneDevice Open(DeviceRequest request, TextWriter stderr, HostFacts? host = null)
    {
        var device = AneDevices.Open(request, out var decision, host);
        if (request.Choice != DeviceChoice.Emulated) stderr.WriteLine($"orion: {decision}");
        return device;
    }
}
