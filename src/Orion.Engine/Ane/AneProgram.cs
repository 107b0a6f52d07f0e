// A compiled program on a device: identity, binding order and surface sizes, and its working folder.
using Orion.Engine.Mil;

namespace Orion.Engine.Ane;

public abstract class AneProgram
{
    protected AneProgram(AneProgramSource source, string folder, IReadOnlyList<MilBinding> inputs, IReadOnlyList<MilBinding> outputs, SurfacePlan surfaces)
    {
        Source = source;
        Id = source.Identity;
        Folder = folder;
        Inputs = inputs;
        Outputs = outputs;
        Surfaces = surfaces;
    }

    public string Id { get; }
    public AneProgramSource Source { get; }

    /// <summary>The program's working folder (model.mil, weights/…), rewritten in place by a delta patch.</summary>
    public string Folder { get; }

    /// <summary>Inputs in binding order (alphabetical by name, R19).</summary>
    public IReadOnlyList<MilBinding> Inputs { get; }

    /// <summary>Outputs in binding order (alphabetical by name, R03).</summary>
    public IReadOnlyList<MilBinding> Outputs { get; }

    /// <summary>Allocation size of each surface, honouring R02, R04 and R18.</summary>
    public SurfacePlan Surfaces { get; }

    public bool IsLoaded { get; protected internal set; }
    public int PatchCount { get; protected internal set; }
}
