// The CPU ends of a DeviceModel: token (and GPT-2 position) embedding, final norm, tied classifier, cross-entropy,
// and their backward passes.
using Orion.Engine.Model.Cpu;

namespace Orion.Engine.Model.Device;

public sealed partial class DeviceModel
{
    // tokens (N) -> x (C, N): x[:, n] = E[token n] (+ wpe[t] for GPT-2).
    private void EmbeddingForward(int[] inputs, Matrix x)
    {
        var p = Parameters;
        int c = Config.Channels;
        var e = p[p.Layout.Embedding];
        var pos = Config.Family == ModelFamily.Gpt2 ? p["wpe"] : default;
        for (int n = 0; n < Positions; n++)
        {
            int tok = inputs[n], t = n % Seq;
            for (int i = 0; i < c; i++) x.Data[i * Positions + n] = e[tok * c + i] + (pos.IsEmpty ? 0f : pos[t * c + i]);
        }
    }

    private void EmbeddingBackward(int[] inputs, Matrix dx, ModelParameters g)
    {
        int c = Config.Channels;
        var de = g[g.Layout.Embedding];
        var dpos = Config.Family == ModelFamily.Gpt2 ? g["wpe"] : default;
        for (int n = 0; n < Positions; n++)
        {
            int tok = inputs[n], t = n % Seq;
            for (int i = 0; i < c; i++)
            {
                float d = dx.Data[i * Positions + n];
                de[tok * c + i] += d;
                if (!dpos.IsEmpty) dpos[t * c + i] += d;
            }
        }
    }

    private Matrix FinalNorm(Matrix x)
    {
        var p = Parameters;
        var xf = Scratch(Config.Channels, 8);
        if (Config.Family == ModelFamily.Gpt2) Norms.LayerNormForward(xf, x, p["lnfw"], p["lnfb"], Config.NormEps);
        else Norms.RmsNormForward(xf, x, p["rms_final"], Config.NormEps);
        return xf;
    }

    private float[] HeadLogits(Matrix x)
    {
        var logits = new float[(long)Positions * Config.VocabSize];
        Classifier.Logits(logits, Parameters.Data, Parameters.OffsetOf(Parameters.Layout.Embedding), Config.VocabSize, FinalNorm(x));
        return logits;
    }

    // x: (C, N) -> loss; returns dx (C, N), the gradient of loss * lossScale at the last layer's output.
    private (double Loss, Matrix Dx) HeadForwardBackward(Matrix x, int[] targets, ModelParameters g, float lossScale)
    {
        var p = Parameters;
        var xf = FinalNorm(x);
        int emb = p.OffsetOf(p.Layout.Embedding), v = Config.VocabSize;
        var logits = new float[(long)Positions * v];
        Classifier.Logits(logits, p.Data, emb, v, xf);
        double loss = Classifier.CrossEntropy(logits, v, targets, lossScale);
        var dxf = Scratch(Config.Channels, 9);
        Classifier.Backward(g.Data, emb, dxf, logits, p.Data, emb, v, xf);
        var dx = Scratch(Config.Channels, 10);
        dx.Clear();
        if (Config.Family == ModelFamily.Gpt2) Norms.LayerNormBackward(dx, g["lnfw"], g["lnfb"], dxf, x, p["lnfw"], Config.NormEps);
        else Norms.RmsNormBackward(dx, g["rms_final"], dxf, x, p["rms_final"], Config.NormEps);
        return (loss, dx);
    }
}
