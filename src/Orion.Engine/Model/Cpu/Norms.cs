// LayerNorm and RMSNorm over channels on the (C, N) layout, forward and backward side by side (llm.c's layernorm_*),
// float32; the backward recomputes the per-position statistics from x.
namespace Orion.Engine.Model.Cpu;

public static class Norms
{
    // x: (C, N) -> mean, rstd (N): the statistics both passes use (the backward recomputes them instead of caching).
    private static (float[] Mean, float[] Rstd) LayerNormStats(Matrix x, float eps)
    {
        int c = x.Rows, n = x.Cols;
        var mean = new float[n];
        var rstd = new float[n];
        for (int i = 0; i < c; i++) { var r = x.Row(i); for (int j = 0; j < n; j++) mean[j] += r[j]; }
        for (int j = 0; j < n; j++) mean[j] /= c;
        for (int i = 0; i < c; i++) { var r = x.Row(i); for (int j = 0; j < n; j++) { float d = r[j] - mean[j]; rstd[j] += d * d; } }
        for (int j = 0; j < n; j++) rstd[j] = 1f / MathF.Sqrt(rstd[j] / c + eps);
        return (mean, rstd);
    }

    private static float[] RmsStats(Matrix x, float eps)
    {
        int c = x.Rows, n = x.Cols;
        var rstd = new float[n];
        for (int i = 0; i < c; i++) { var r = x.Row(i); for (int j = 0; j < n; j++) rstd[j] += r[j] * r[j]; }
        for (int j = 0; j < n; j++) rstd[j] = 1f / MathF.Sqrt(rstd[j] / c + eps);
        return rstd;
    }

    // x: (C, N) -> y (C, N) = (x - mean) * rstd * w + b.
    public static void LayerNormForward(Matrix y, Matrix x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, float eps)
    {
        int c = x.Rows, n = x.Cols;
        var (mean, rstd) = LayerNormStats(x, eps);
        for (int i = 0; i < c; i++)
        {
            var r = x.Row(i); var o = y.Row(i);
            for (int j = 0; j < n; j++) o[j] = (r[j] - mean[j]) * rstd[j] * w[i] + b[i];
        }
    }

    // dy: (C, N) at the output; adds into dx (C, N), dw (C), db (C).
    public static void LayerNormBackward(Matrix dx, Span<float> dw, Span<float> db, Matrix dy, Matrix x, ReadOnlySpan<float> w, float eps)
    {
        int c = x.Rows, n = x.Cols;
        var (mean, rstd) = LayerNormStats(x, eps);
        var dnormMean = new float[n];
        var dnormNormMean = new float[n];
        for (int i = 0; i < c; i++)
        {
            var xr = x.Row(i); var g = dy.Row(i);
            for (int j = 0; j < n; j++)
            {
                float norm = (xr[j] - mean[j]) * rstd[j], dnorm = w[i] * g[j];
                dnormMean[j] += dnorm;
                dnormNormMean[j] += dnorm * norm;
            }
        }
        for (int j = 0; j < n; j++) { dnormMean[j] /= c; dnormNormMean[j] /= c; }
        for (int i = 0; i < c; i++)
        {
            var xr = x.Row(i); var g = dy.Row(i); var o = dx.Row(i);
            float sw = 0, sb = 0;
            for (int j = 0; j < n; j++)
            {
                float norm = (xr[j] - mean[j]) * rstd[j];
                sb += g[j];
                sw += norm * g[j];
                o[j] += (w[i] * g[j] - dnormMean[j] - norm * dnormNormMean[j]) * rstd[j];
            }
            dw[i] += sw;
            db[i] += sb;
        }
    }

    // x: (C, N) -> y = x * rstd * w, rstd = (mean(x^2) + eps)^-0.5 per position.
    public static void RmsNormForward(Matrix y, Matrix x, ReadOnlySpan<float> w, float eps)
    {
        int c = x.Rows, n = x.Cols;
        var rstd = RmsStats(x, eps);
        for (int i = 0; i < c; i++)
        {
            var r = x.Row(i); var o = y.Row(i);
            for (int j = 0; j < n; j++) o[j] = r[j] * rstd[j] * w[i];
        }
    }

    // dx += rstd * (w * dy - x * rstd^2 * mean(w * dy * x)); dw += sum over N of dy * x * rstd.
    public static void RmsNormBackward(Matrix dx, Span<float> dw, Matrix dy, Matrix x, ReadOnlySpan<float> w, float eps)
    {
        int c = x.Rows, n = x.Cols;
        var rstd = RmsStats(x, eps);
        var dot = new float[n];
        for (int i = 0; i < c; i++) { var xr = x.Row(i); var g = dy.Row(i); for (int j = 0; j < n; j++) dot[j] += w[i] * g[j] * xr[j]; }
        for (int j = 0; j < n; j++) dot[j] = dot[j] / c * rstd[j] * rstd[j];
        for (int i = 0; i < c; i++)
        {
            var xr = x.Row(i); var g = dy.Row(i); var o = dx.Row(i);
            float sw = 0;
            for (int j = 0; j < n; j++)
            {
                sw += g[j] * xr[j] * rstd[j];
                o[j] += rstd[j] * (w[i] * g[j] - xr[j] * dot[j]);
            }
            dw[i] += sw;
        }
    }
}
