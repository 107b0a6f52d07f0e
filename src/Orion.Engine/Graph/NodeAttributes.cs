// Per-op parameters of a graph node. Unused fields stay at their defaults.
using Orion.Engine.Tensors;

namespace Orion.Engine.Graph;

public sealed record NodeAttributes
{
    public static NodeAttributes None { get; } = new();

    /// <summary>Softmax / concat axis (negative counts from the end).</summary>
    public int Axis { get; init; }
    public IReadOnlyList<int>? Axes { get; init; }
    public bool KeepDims { get; init; }
    public IReadOnlyList<int>? Perm { get; init; }
    public Shape? NewShape { get; init; }
    public IReadOnlyList<int>? Begin { get; init; }
    public IReadOnlyList<int>? Size { get; init; }
    public bool TransposeX { get; init; }
    public bool TransposeY { get; init; }
    public int Groups { get; init; } = 1;
    /// <summary>Cast target or quantize output dtype.</summary>
    public DType? Target { get; init; }
    public float Scale { get; init; } = 1f;
    public float ZeroPoint { get; init; }
}
