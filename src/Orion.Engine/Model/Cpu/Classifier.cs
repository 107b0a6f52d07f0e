// The tied classifier and cross-entropy on the CPU (ane-reference.md section 9): logits = E xf, softmax, mean loss
// over the batch's positions, and the backward into the embedding and the final norm's output.
using Orion.Engine.Kernels;

namespace Orion.Engine.Model.Cpu;

public static class Classifier
{
    // xf: (C, N), embedding (V, C) at offset -> logits (N, V).
    public static void Logits(float[] logits, float[] weights, int offset, int vocab, Matrix xf) =>
        Gemm.Multiply(xf.Cols, vocab, xf.Rows, MatrixView.RowMajor(xf.Data, 0, xf.Cols).Transposed,
            MatrixView.RowMajor(weights, offset, xf.Rows).Transposed, logits, 0, vocab);

    /// <summary>
    /// Mean cross-entropy of <paramref name="logits"/> (N, V) against <paramref name="targets"/>; when
    /// <paramref name="gradScale"/> is not null, overwrites logits with d(loss * gradScale)/d(logits).
    /// </summary>
    public static double CrossEntropy(float[] logits, int vocab, ReadOnlySpan<int> targets, float? gradScale)
    {
        int n = targets.Length;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var row = logits.AsSpan(i * vocab, vocab);
            float max = float.NegativeInfinity;
            for (int v = 0; v < vocab; v++) max = MathF.Max(max, row[v]);
            double sum = 0;
            for (int v = 0; v < vocab; v++) sum += Math.Exp(row[v] - max);
            total += Math.Log(sum) - (row[targets[i]] - max);
            if (gradScale is not { } s) continue;
            float k = s / n, inv = (float)(1 / sum);
            for (int v = 0; v < vocab; v++) row[v] = MathF.Exp(row[v] - max) * inv * k;
            row[targets[i]] -= k;
        }
        return total / n;
    }

    // dlogits: (N, V) -> dE (V, C) += dlogits^T xf^T; dxf (C, N) = E^T dlogits^T.
    public static void Backward(float[] grad, int gradOffset, Matrix dxf, float[] dlogits, float[] weights, int offset, int vocab, Matrix xf)
    {
        int c = xf.Rows, n = xf.Cols;
        var dl = MatrixView.RowMajor(dlogits, 0, vocab);
        Gemm.Multiply(vocab, c, n, dl.Transposed, MatrixView.RowMajor(xf.Data, 0, n).Transposed, grad, gradOffset, c, accumulate: true);
        Gemm.Multiply(c, n, vocab, MatrixView.RowMajor(weights, offset, c).Transposed, dl.Transposed, dxf.Data, 0, n);
    }
}
