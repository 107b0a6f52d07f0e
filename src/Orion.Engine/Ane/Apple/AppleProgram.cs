// A program compiled by the macOS device: the retained descriptor and model objects, its hex id and shared folder,
// the weight files as last written, and the request built for the last set of surfaces (built once, reused).
using System.Runtime.Versioning;
using Orion.Engine.Mil;

namespace Orion.Engine.Ane.Apple;

[SupportedOSPlatform("macos")]
internal sealed class AppleProgram(AneProgramSource source, string folder, CheckedProgram checkedProgram, string hexId, nint descriptor, nint model)
    : AneProgram(source, folder, checkedProgram.Inputs, checkedProgram.Outputs, checkedProgram.Surfaces)
{
    public MilFunction Main { get; } = checkedProgram.Main;
    public string HexId { get; } = hexId;

    /// <summary>+1 references owned by this program (released by the device).</summary>
    public nint Descriptor { get; set; } = descriptor;
    public nint Model { get; set; } = model;

    public Dictionary<string, byte[]> CurrentWeights { get; } = new(source.Weights, StringComparer.Ordinal);

    /// <summary>The cached request (+1) and the surfaces it binds, compared by reference.</summary>
    public nint Request { get; set; }
    public AneSurface[] RequestInputs { get; set; } = [];
    public AneSurface[] RequestOutputs { get; set; } = [];

    public bool Released { get; set; }

    public AneProgramSource CurrentSource => new(Source.MilText, CurrentWeights);
}
