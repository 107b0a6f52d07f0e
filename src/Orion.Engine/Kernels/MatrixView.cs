// A strided 2-D view into a float array: lets GEMM read transposed or sliced operands without copying (packing absorbs the strides).
namespace Orion.Engine.Kernels;

/// <summary>Element (i, j) is <c>Data[Offset + i*RowStride + j*ColStride]</c>.</summary>
public readonly record struct MatrixView(float[] Data, int Offset, int RowStride, int ColStride)
{
    /// <summary>A row-major matrix with <paramref name="columns"/> columns starting at <paramref name="offset"/>.</summary>
    public static MatrixView RowMajor(float[] data, int offset, int columns) => new(data, offset, columns, 1);

    public MatrixView Transposed => new(Data, Offset, ColStride, RowStride);

    public float this[int i, int j] => Data[Offset + i * RowStride + j * ColStride];
}
