// Where a configuration value was written (file and 1-based line), so every error can point at the line to fix.
// HOCON.md leaves origins to implementations; Lightbend config keeps one per value, and so do we.
namespace Orion.Engine.Config;

public readonly record struct HoconOrigin(string File, int Line)
{
    /// <summary>
    /// True when the value came from a fallback (<see cref="HoconObject.WithFallback"/>, i.e. reference.conf defaults)
    /// rather than from the user's own files; unknown-key checks only complain about keys the user wrote.
    /// </summary>
    public bool IsDefault { get; init; }

    public override string ToString() => $"{File}:{Line}";
}
