// What a compiled program depends on: chip profile, OS build and compiler version (the program cache key, architecture.md).
namespace Orion.Engine.Ane;

public sealed record DeviceFingerprint(string DeviceKind, string Chip, string OsBuild, string CompilerVersion)
{
    /// <summary>The version of this project's MIL emitter and emulator semantics; bump it when emitted MIL or plan semantics change.</summary>
    public const string OrionCompilerVersion = "orion-mil-1";

    public override string ToString() => $"{DeviceKind}/{Chip}/os={OsBuild}/compiler={CompilerVersion}";
}
