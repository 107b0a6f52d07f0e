// Raised by ProgramCache when a device fingerprint change invalidates a cached program (the worker reports it).
namespace Orion.Engine.Ane;

public sealed class CacheInvalidatedEventArgs(string identity, DeviceFingerprint oldFingerprint, DeviceFingerprint newFingerprint) : EventArgs
{
    /// <summary>The program identity (<see cref="AneProgramSource.Identity"/>) whose entry was discarded.</summary>
    public string Identity { get; } = identity;

    public DeviceFingerprint OldFingerprint { get; } = oldFingerprint;
    public DeviceFingerprint NewFingerprint { get; } = newFingerprint;
}
