// The reference's sequence-mixing layers: causal multi-head attention (llm.c attention_forward/backward) and llama2.c's
// interleaved RoPE, each forward beside its backward.
namespace Orion.Engine.Model;

public static partial class ReferenceModel
{
    // out: (B, T, C); att: (B, NH, T, T) softmax probabilities, cached for backward (entries j > t stay 0).
    // q, k, v: rows of C channels, row n = b*T + t starting at n*stride (GPT-2 reads them out of one (B, T, 3C) qkv
    // buffer with stride 3C; Llama passes three (B, T, C) buffers with stride C). Head h owns channels h*D .. h*D+D-1.
    private static void AttentionForward(Span<double> output, Span<double> att, ReadOnlySpan<double> q, ReadOnlySpan<double> k,
        ReadOnlySpan<double> v, int stride, int B, int T, int C, int NH)
    {
        int D = C / NH;
        double scale = 1 / Math.Sqrt(D);
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
                for (int h = 0; h < NH; h++)
                {
                    var qt = q.Slice((b * T + t) * stride + h * D, D);
                    var p = att.Slice(((b * NH + h) * T + t) * T, T);

                    // scores[j] = q_t . k_j / sqrt(D) for j <= t (causal), then softmax over j
                    double max = double.NegativeInfinity;
                    for (int j = 0; j <= t; j++)
                    {
                        var kj = k.Slice((b * T + j) * stride + h * D, D);
                        double dot = 0;
                        for (int i = 0; i < D; i++) dot += qt[i] * kj[i];
                        p[j] = dot * scale;
                        max = Math.Max(max, p[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= t; j++) sum += p[j] = Math.Exp(p[j] - max);
                    for (int j = 0; j <= t; j++) p[j] /= sum;

                    // out_t = sum_j p[j] v_j
                    var ot = output.Slice((b * T + t) * C + h * D, D);
                    ot.Clear();
                    for (int j = 0; j <= t; j++)
                    {
                        var vj = v.Slice((b * T + j) * stride + h * D, D);
                        for (int i = 0; i < D; i++) ot[i] += p[j] * vj[i];
                    }
                }
    }

    // dq, dk, dv: laid out like q, k, v (same stride); dout: (B, T, C).
    private static void AttentionBackward(Span<double> dq, Span<double> dk, Span<double> dv, ReadOnlySpan<double> dout,
        ReadOnlySpan<double> q, ReadOnlySpan<double> k, ReadOnlySpan<double> v, ReadOnlySpan<double> att, int stride, int B, int T, int C, int NH)
    {
        int D = C / NH;
        double scale = 1 / Math.Sqrt(D);
        var dp = new double[T];
        var dscore = new double[T];
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
                for (int h = 0; h < NH; h++)
                {
                    var p = att.Slice(((b * NH + h) * T + t) * T, T);
                    var dot = dout.Slice((b * T + t) * C + h * D, D);

                    // backward of out_t = sum_j p[j] v_j
                    for (int j = 0; j <= t; j++)
                    {
                        int row = (b * T + j) * stride + h * D;
                        dp[j] = 0;
                        for (int i = 0; i < D; i++)
                        {
                            dp[j] += v[row + i] * dot[i];
                            dv[row + i] += p[j] * dot[i];
                        }
                    }

                    // softmax backward: dscore[j] = p[j] * (dp[j] - sum_k p[k] dp[k])
                    double weighted = 0;
                    for (int j = 0; j <= t; j++) weighted += p[j] * dp[j];
                    for (int j = 0; j <= t; j++) dscore[j] = p[j] * (dp[j] - weighted);

                    // backward of scores[j] = q_t . k_j * scale
                    int qrow = (b * T + t) * stride + h * D;
                    for (int j = 0; j <= t; j++)
                    {
                        int krow = (b * T + j) * stride + h * D;
                        for (int i = 0; i < D; i++)
                        {
                            dq[qrow + i] += k[krow + i] * dscore[j] * scale;
                            dk[krow + i] += q[qrow + i] * dscore[j] * scale;
                        }
                    }
                }
    }

    // x: (B, T, C), rotated in place. For each channel pair (i, i+1), i even: hd = i % D, angle = t / theta^(hd/D),
    // (x_i, x_i+1) <- (x_i cos - x_i+1 sin, x_i sin + x_i+1 cos), t the 0-based position (llama2.c run.c).
    private static void RopeForward(Span<double> x, int B, int T, int C, int D, double theta) => Rope(x, B, T, C, D, theta, sign: +1);

    // The rotation is orthogonal, so its backward is the rotation by the opposite angle, also in place; no cache needed.
    private static void RopeBackward(Span<double> dx, int B, int T, int C, int D, double theta) => Rope(dx, B, T, C, D, theta, sign: -1);

    private static void Rope(Span<double> x, int B, int T, int C, int D, double theta, int sign)
    {
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
                for (int i = 0; i < C; i += 2)
                {
                    int hd = i % D;
                    double freq = 1 / Math.Pow(theta, (double)hd / D), angle = sign * t * freq;
                    double cos = Math.Cos(angle), sin = Math.Sin(angle);
                    int n = (b * T + t) * C + i;
                    double x0 = x[n], x1 = x[n + 1];
                    x[n] = x0 * cos - x1 * sin;
                    x[n + 1] = x0 * sin + x1 * cos;
                }
    }
}
