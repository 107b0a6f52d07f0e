// The reference's position-wise layers, each forward beside its backward with llm.c's argument order (outputs, cached
// values, inputs, weights, sizes). Backward functions accumulate (+=) into their gradients, as llm.c's do.
namespace Orion.Engine.Model;

public static partial class ReferenceModel
{
    // out: (N, C) with N = B*T; inputs: (N) token ids; wte: (V, C); wpe: (MaxSeq, C), or empty when the family has no learned positions.
    private static void EncoderForward(Span<double> output, int[] inputs, ReadOnlySpan<double> wte, ReadOnlySpan<double> wpe, int B, int T, int C)
    {
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
            {
                int n = b * T + t, token = inputs[n];
                for (int i = 0; i < C; i++)
                    output[n * C + i] = wte[token * C + i] + (wpe.IsEmpty ? 0 : wpe[t * C + i]);
            }
    }

    private static void EncoderBackward(Span<double> dwte, Span<double> dwpe, ReadOnlySpan<double> dout, int[] inputs, int B, int T, int C)
    {
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
            {
                int n = b * T + t, token = inputs[n];
                for (int i = 0; i < C; i++)
                {
                    dwte[token * C + i] += dout[n * C + i];
                    if (!dwpe.IsEmpty) dwpe[t * C + i] += dout[n * C + i];
                }
            }
    }

    // out: (N, OC) = inp (N, C) times weight^T, weight: (OC, C) stored (out, in) like nn.Linear; bias: (OC) or empty.
    private static void MatmulForward(Span<double> output, ReadOnlySpan<double> inp, ReadOnlySpan<double> weight, ReadOnlySpan<double> bias, int N, int C, int OC)
    {
        for (int n = 0; n < N; n++)
            for (int o = 0; o < OC; o++)
            {
                double sum = bias.IsEmpty ? 0 : bias[o];
                for (int i = 0; i < C; i++) sum += inp[n * C + i] * weight[o * C + i];
                output[n * OC + o] = sum;
            }
    }

    // dinp: (N, C), dweight: (OC, C), dbias: (OC) or empty; dout: (N, OC).
    private static void MatmulBackward(Span<double> dinp, Span<double> dweight, Span<double> dbias, ReadOnlySpan<double> dout,
        ReadOnlySpan<double> inp, ReadOnlySpan<double> weight, int N, int C, int OC)
    {
        for (int n = 0; n < N; n++)
            for (int o = 0; o < OC; o++)
            {
                double d = dout[n * OC + o];
                if (!dbias.IsEmpty) dbias[o] += d;
                for (int i = 0; i < C; i++)
                {
                    dinp[n * C + i] += weight[o * C + i] * d;
                    dweight[o * C + i] += inp[n * C + i] * d;
                }
            }
    }

    // out: (N, C) = (x - mean) * rstd * weight + bias over each row; mean, rstd: (N), rstd = (biased var + eps)^-1/2.
    private static void LayerNormForward(Span<double> output, Span<double> mean, Span<double> rstd, ReadOnlySpan<double> inp,
        ReadOnlySpan<double> weight, ReadOnlySpan<double> bias, int N, int C, double eps)
    {
        for (int n = 0; n < N; n++)
        {
            var x = inp.Slice(n * C, C);
            double m = 0;
            for (int i = 0; i < C; i++) m += x[i];
            m /= C;
            double v = 0;
            for (int i = 0; i < C; i++) v += (x[i] - m) * (x[i] - m);
            v /= C;
            double s = 1 / Math.Sqrt(v + eps);
            for (int i = 0; i < C; i++) output[n * C + i] = (x[i] - m) * s * weight[i] + bias[i];
            mean[n] = m;
            rstd[n] = s;
        }
    }

    private static void LayerNormBackward(Span<double> dinp, Span<double> dweight, Span<double> dbias, ReadOnlySpan<double> dout,
        ReadOnlySpan<double> inp, ReadOnlySpan<double> weight, ReadOnlySpan<double> mean, ReadOnlySpan<double> rstd, int N, int C)
    {
        for (int n = 0; n < N; n++)
        {
            // dnorm = weight * dout; dx = rstd * (dnorm - mean(dnorm) - norm * mean(dnorm * norm)).
            double dnormMean = 0, dnormNormMean = 0;
            for (int i = 0; i < C; i++)
            {
                double norm = (inp[n * C + i] - mean[n]) * rstd[n], dnorm = weight[i] * dout[n * C + i];
                dnormMean += dnorm;
                dnormNormMean += dnorm * norm;
            }
            dnormMean /= C;
            dnormNormMean /= C;
            for (int i = 0; i < C; i++)
            {
                double norm = (inp[n * C + i] - mean[n]) * rstd[n], dnorm = weight[i] * dout[n * C + i];
                dbias[i] += dout[n * C + i];
                dweight[i] += norm * dout[n * C + i];
                dinp[n * C + i] += (dnorm - dnormMean - norm * dnormNormMean) * rstd[n];
            }
        }
    }

    // out: (N, C) = x * rstd * weight, rstd = (mean(x^2) + eps)^-1/2 over each row (llama2.c rmsnorm); rstd: (N).
    private static void RmsNormForward(Span<double> output, Span<double> rstd, ReadOnlySpan<double> inp, ReadOnlySpan<double> weight, int N, int C, double eps)
    {
        for (int n = 0; n < N; n++)
        {
            double ss = 0;
            for (int i = 0; i < C; i++) ss += inp[n * C + i] * inp[n * C + i];
            double s = 1 / Math.Sqrt(ss / C + eps);
            for (int i = 0; i < C; i++) output[n * C + i] = inp[n * C + i] * s * weight[i];
            rstd[n] = s;
        }
    }

    private static void RmsNormBackward(Span<double> dinp, Span<double> dweight, ReadOnlySpan<double> dout,
        ReadOnlySpan<double> inp, ReadOnlySpan<double> weight, ReadOnlySpan<double> rstd, int N, int C)
    {
        for (int n = 0; n < N; n++)
        {
            // d(rstd)/d(x_i) = -rstd^3 * x_i / C, so dx_i = rstd * w_i * dout_i - x_i * rstd^3 / C * sum_j(dout_j * w_j * x_j).
            double s = rstd[n], dot = 0;
            for (int i = 0; i < C; i++) dot += dout[n * C + i] * weight[i] * inp[n * C + i];
            for (int i = 0; i < C; i++)
            {
                dweight[i] += dout[n * C + i] * inp[n * C + i] * s;
                dinp[n * C + i] += s * weight[i] * dout[n * C + i] - inp[n * C + i] * s * s * s / C * dot;
            }
        }
    }

    private static readonly double GeluScale = Math.Sqrt(2 / Math.PI);

    // out = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), elementwise (GPT-2's tanh approximation).
    private static void GeluForward(Span<double> output, ReadOnlySpan<double> inp)
    {
        for (int i = 0; i < inp.Length; i++)
        {
            double x = inp[i];
            output[i] = 0.5 * x * (1 + Math.Tanh(GeluScale * (x + 0.044715 * x * x * x)));
        }
    }

    private static void GeluBackward(Span<double> dinp, ReadOnlySpan<double> inp, ReadOnlySpan<double> dout)
    {
        for (int i = 0; i < inp.Length; i++)
        {
            double x = inp[i], tanh = Math.Tanh(GeluScale * (x + 0.044715 * x * x * x)), sech2 = 1 - tanh * tanh;
            double local = 0.5 * (1 + tanh) + 0.5 * x * sech2 * GeluScale * (1 + 3 * 0.044715 * x * x);
            dinp[i] += local * dout[i];
        }
    }

    // out = silu(gate) * up elementwise, silu(z) = z * sigmoid(z) (SwiGLU; gate = w1 m, up = w3 m).
    private static void SwiGluForward(Span<double> output, ReadOnlySpan<double> gate, ReadOnlySpan<double> up)
    {
        for (int i = 0; i < gate.Length; i++)
            output[i] = gate[i] / (1 + Math.Exp(-gate[i])) * up[i];
    }

    private static void SwiGluBackward(Span<double> dgate, Span<double> dup, ReadOnlySpan<double> dout, ReadOnlySpan<double> gate, ReadOnlySpan<double> up)
    {
        for (int i = 0; i < gate.Length; i++)
        {
            double z = gate[i], sigmoid = 1 / (1 + Math.Exp(-z));
            dgate[i] += dout[i] * up[i] * sigmoid * (1 + z * (1 - sigmoid));
            dup[i] += dout[i] * z * sigmoid;
        }
    }

    // out = a + b elementwise: the residual stream. Its backward is the identity into both inputs, which the families
    // apply by letting the stream's gradient flow on unchanged and adding each branch's input gradient into it.
    private static void ResidualForward(Span<double> output, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        for (int i = 0; i < a.Length; i++) output[i] = a[i] + b[i];
    }

    // probs: (N, V) = softmax(logits); returns mean over N of -log probs[target] (via log-sum-exp, so no log of 0).
    private static double CrossEntropyForward(Span<double> probs, ReadOnlySpan<double> logits, int[] targets, int N, int V)
    {
        double total = 0;
        for (int n = 0; n < N; n++)
        {
            var row = logits.Slice(n * V, V);
            double max = double.NegativeInfinity, sum = 0;
            for (int v = 0; v < V; v++) max = Math.Max(max, row[v]);
            for (int v = 0; v < V; v++) sum += probs[n * V + v] = Math.Exp(row[v] - max);
            for (int v = 0; v < V; v++) probs[n * V + v] /= sum;
            total += max + Math.Log(sum) - row[targets[n]];
        }
        return total / N;
    }

    // dlogits: (N, V) = (probs - onehot(target)) / N, the gradient of the mean loss.
    private static void CrossEntropyBackward(Span<double> dlogits, ReadOnlySpan<double> probs, int[] targets, int N, int V)
    {
        for (int n = 0; n < N; n++)
            for (int v = 0; v < V; v++)
                dlogits[n * V + v] += (probs[n * V + v] - (v == targets[n] ? 1 : 0)) / N;
    }
}
