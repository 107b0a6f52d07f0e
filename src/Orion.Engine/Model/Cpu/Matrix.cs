// A row-major float matrix: the CPU side's activations use the device layout (rows = channels, columns = the batch's
// positions b * T + t), so one sequence's (C, T) block moves to and from a surface by rows.
namespace Orion.Engine.Model.Cpu;

public sealed class Matrix(int rows, int cols)
{
    public int Rows { get; } = rows;
    public int Cols { get; } = cols;
    public float[] Data { get; } = new float[checked(rows * cols)];

    public Span<float> Row(int r) => Data.AsSpan(r * Cols, Cols);

    /// <summary>Copies columns [col0, col0 + count) into a packed (Rows, count) block.</summary>
    public void ReadBlock(int col0, int count, Span<float> block)
    {
        for (int r = 0; r < Rows; r++) Data.AsSpan(r * Cols + col0, count).CopyTo(block.Slice(r * count, count));
    }

    /// <summary>Writes a packed (Rows, count) block into columns [col0, col0 + count).</summary>
    public void WriteBlock(int col0, int count, ReadOnlySpan<float> block)
    {
        for (int r = 0; r < Rows; r++) block.Slice(r * count, count).CopyTo(Data.AsSpan(r * Cols + col0, count));
    }

    public void Clear() => Array.Clear(Data);
}
