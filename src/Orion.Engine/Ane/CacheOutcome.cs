// How ProgramCache.GetOrCompile obtained a program (architecture.md, Engine: the program cache).
namespace Orion.Engine.Ane;

public enum CacheOutcome
{
    /// <summary>A valid entry for this device fingerprint was loaded without compiling.</summary>
    Hit,

    /// <summary>No usable entry (absent, half-written or corrupt): compiled and stored.</summary>
    Miss,

    /// <summary>An entry existed for another device fingerprint (OS update, new chip or compiler): deleted, compiled afresh.</summary>
    Invalidated,
}
