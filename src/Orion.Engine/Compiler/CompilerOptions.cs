// Options of one compile: chip profile, weight file layout, validation and dumps.
using Orion.Engine.Restrictions;

namespace Orion.Engine.Compiler;

public sealed record CompilerOptions
{
    public ChipProfile Profile { get; init; } = ChipProfile.Default;

    /// <summary>All weights in one multi-blob file instead of one file per tensor (fails on M1, section 5).</summary>
    public bool MultiBlobFile { get; init; }

    /// <summary>Run the graph validator between passes. On in debug builds and tests; cheap enough to leave on.</summary>
    public bool ValidateBetweenPasses { get; init; } = true;

    /// <summary>Print the graph after this pass (legalize, fuse, layout, weights, emit) to <see cref="DumpWriter"/>.</summary>
    public string? DumpAfter { get; init; }

    public TextWriter? DumpWriter { get; init; }

    /// <summary>Constants with at least this many elements go to weight blob files; smaller ones are inlined. Conv weights always go to blobs.</summary>
    public int InlineConstantLimit { get; init; } = 64;
}
