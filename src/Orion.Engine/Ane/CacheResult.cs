// What ProgramCache.GetOrCompile returns: the program, how it was obtained, and the stale fingerprint when invalidated.
namespace Orion.Engine.Ane;

/// <param name="Program">The compiled (or loaded) program; not loaded on the device yet.</param>
/// <param name="Outcome">Hit, Miss or Invalidated.</param>
/// <param name="OldFingerprint">The fingerprint of the entry that was discarded; non-null only for <see cref="CacheOutcome.Invalidated"/>.</param>
public sealed record CacheResult(AneProgram Program, CacheOutcome Outcome, DeviceFingerprint? OldFingerprint = null);
