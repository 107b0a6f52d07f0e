// Dense products of the CPU side on the (rows, N) layout: weight gradients dW += dY X^T by the blocked GEMM (the
// dW GEMM of ane-reference.md section 9), bias gradients, and the tied classifier's logits.
using Orion.Engine.Kernels;

namespace Orion.Engine.Model.Cpu;

public static class Dense
{
    /// <summary>dW (O, I) at <paramref name="offset"/> in <paramref name="grad"/> += dY (O, N) · X (I, N)^T.</summary>
    public static void AccumulateWeightGrad(float[] grad, int offset, Matrix dy, Matrix x) =>
        AccumulateWeightGrad(grad, offset, dy, 0, dy.Rows, x);

    /// <summary>Rows [row0, row0 + rows) of dY only: dW rows land at <paramref name="offset"/> (a row block of a fused weight).</summary>
    public static void AccumulateWeightGrad(float[] grad, int offset, Matrix dy, int row0, int rows, Matrix x)
    {
        if (dy.Cols != x.Cols) throw new ArgumentException($"dY has {dy.Cols} columns, X has {x.Cols}");
        Gemm.Multiply(rows, x.Rows, dy.Cols, MatrixView.RowMajor(dy.Data, row0 * dy.Cols, dy.Cols), MatrixView.RowMajor(x.Data, 0, x.Cols).Transposed,
            grad, offset, x.Rows, accumulate: true);
    }

    /// <summary>db (O) += row sums of dY (O, N).</summary>
    public static void AccumulateBiasGrad(Span<float> db, Matrix dy)
    {
        for (int i = 0; i < dy.Rows; i++)
        {
            var r = dy.Row(i);
            float s = 0;
            for (int j = 0; j < r.Length; j++) s += r[j];
            db[i] += s;
        }
    }
}
