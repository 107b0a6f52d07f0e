// One interface for every ANE device: the emulator here, the private-API device on macOS (architecture.md, Engine).
using Orion.Engine.Restrictions;

namespace Orion.Engine.Ane;

/// <summary>
/// Compile / load / evaluate / patch / unload, as the private API sequence of ane-reference.md section 2 and 3.
/// Surfaces bind by position: inputs in alphabetical order of parameter name (R19), outputs in alphabetical order of
/// output variable name (R03); <see cref="AneProgram.Inputs"/> and <see cref="AneProgram.Outputs"/> list that order.
/// </summary>
public interface IAneDevice : IDisposable
{
    DeviceFingerprint Fingerprint { get; }
    ChipProfile Profile { get; }

    /// <summary>Warnings (e.g. R17) the restriction catalog raised for the last compile or cache load.</summary>
    IReadOnlyList<AneDiagnostic> LastWarnings { get; }

    /// <summary>Compiles performed by this device (cache hits and patches do not count).</summary>
    int CompileCount { get; }

    /// <summary>Compiles a program (consumes the compile budget). The result is not loaded yet.</summary>
    AneProgram Compile(AneProgramSource source);

    /// <summary>Rebuilds a program from artifacts saved by <see cref="SaveCompiled"/> without compiling (a cache hit).</summary>
    AneProgram LoadCompiled(AneProgramSource source, string artifactDirectory);

    /// <summary>Saves whatever <see cref="LoadCompiled"/> needs into <paramref name="artifactDirectory"/>.</summary>
    void SaveCompiled(AneProgram program, string artifactDirectory);

    void Load(AneProgram program);

    void Unload(AneProgram program);

    /// <summary>Runs one request. Inputs and outputs are in binding order; sizes are checked against R02, R04, R18.</summary>
    void Evaluate(AneProgram program, IReadOnlyList<AneSurface> inputs, IReadOnlyList<AneSurface> outputs);

    /// <summary>
    /// Delta patch: unload, rewrite the named weight files in place, load again — no compile, no re-planning
    /// (section 3). Keys are MIL paths (<c>@model_path/weights/w.bin</c>); each must already belong to the program.
    /// </summary>
    void PatchWeights(AneProgram program, IReadOnlyDictionary<string, byte[]> weightFiles);

    /// <summary>Allocates a surface of <paramref name="byteCount"/> bytes.</summary>
    AneSurface CreateSurface(int byteCount);

    /// <summary>Unloads if loaded and deletes the program's working folder.</summary>
    void Release(AneProgram program);
}
