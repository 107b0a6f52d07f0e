// Static tensor shapes. The ANE's native layout is [1, C, 1, S], channel-major (ane-reference.md section 6).
namespace Orion.Engine.Tensors;

/// <summary>An immutable static shape with value equality.</summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] _dims;

    public Shape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        foreach (var d in dims)
        {
            if (d < 0) throw new ArgumentException($"shape [{string.Join(", ", dims)}] has a negative dimension", nameof(dims));
        }
        _dims = (int[])dims.Clone();
    }

    public static Shape Scalar { get; } = new();

    /// <summary>The ANE tensor layout [1, C, 1, S].</summary>
    public static Shape Ane(int channels, int seq) => new(1, channels, 1, seq);

    public int Rank => _dims.Length;
    public int this[int axis] => _dims[axis < 0 ? axis + _dims.Length : axis];
    public ReadOnlySpan<int> Dims => _dims;
    public int[] ToArray() => (int[])_dims.Clone();

    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in _dims) n *= d;
            return n;
        }
    }

    /// <summary>For a rank-4 [1, C, 1, S] tensor: C; otherwise the product of all dims but the last.</summary>
    public bool IsAneLayout => Rank == 4 && _dims[0] == 1 && _dims[2] == 1;

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);
    public override bool Equals(object? obj) => Equals(obj as Shape);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }

    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    public override string ToString() => "[" + string.Join(", ", _dims) + "]";
}
