// GPT-2 in the reference (llm.c train_gpt2.c gpt2_forward/gpt2_backward): learned positions, pre-LayerNorm blocks with
// biases, GELU-tanh MLP, final LayerNorm, logits through the tied token embedding.
namespace Orion.Engine.Model;

public static partial class ReferenceModel
{
    /// <summary>What GPT-2's backward reads back from the forward pass; per-layer arrays are indexed [layer].</summary>
    private sealed class Gpt2Activations(int L, int B, int T, int C, int NH, int H, int V)
    {
        public double[] Encoded { get; } = new double[B * T * C];       // (B, T, C) wte[token] + wpe[t]
        public double[][] Ln1 { get; } = Layers(L, B * T * C);            // (L, B, T, C)
        public double[][] Ln1Mean { get; } = Layers(L, B * T);            // (L, B, T)
        public double[][] Ln1Rstd { get; } = Layers(L, B * T);            // (L, B, T)
        public double[][] Qkv { get; } = Layers(L, B * T * 3 * C);        // (L, B, T, 3C)
        public double[][] Att { get; } = Layers(L, B * NH * T * T);       // (L, B, NH, T, T)
        public double[][] Atty { get; } = Layers(L, B * T * C);           // (L, B, T, C) attention output before the projection
        public double[][] Residual2 { get; } = Layers(L, B * T * C);      // (L, B, T, C) stream after attention
        public double[][] Ln2 { get; } = Layers(L, B * T * C);
        public double[][] Ln2Mean { get; } = Layers(L, B * T);
        public double[][] Ln2Rstd { get; } = Layers(L, B * T);
        public double[][] Fch { get; } = Layers(L, B * T * H);            // (L, B, T, H) before GELU
        public double[][] FchGelu { get; } = Layers(L, B * T * H);        // (L, B, T, H)
        public double[][] Residual3 { get; } = Layers(L, B * T * C);      // (L, B, T, C) stream after the MLP
        public double[] Lnf { get; } = new double[B * T * C];             // (B, T, C)
        public double[] LnfMean { get; } = new double[B * T];
        public double[] LnfRstd { get; } = new double[B * T];
        public double[] Logits { get; } = new double[B * T * V];          // (B, T, V)
    }

    private static double[][] Layers(int count, int size)
    {
        var a = new double[count][];
        for (int l = 0; l < count; l++) a[l] = new double[size];
        return a;
    }

    private static Gpt2Activations Gpt2Forward(Tensors w, int[] inputs, int B, int T)
    {
        var cfg = w.Config;
        int L = cfg.Layers, C = cfg.Channels, NH = cfg.Heads, H = cfg.Hidden, V = cfg.VocabSize, N = B * T;
        double eps = cfg.NormEps;
        var a = new Gpt2Activations(L, B, T, C, NH, H, V);
        var branch = new double[N * C]; // (B, T, C) a block's branch output, added to the stream; backward does not need it

        EncoderForward(a.Encoded, inputs, w["wte"], w["wpe"], B, T, C);
        for (int l = 0; l < L; l++)
        {
            var residual = l == 0 ? a.Encoded : a.Residual3[l - 1];
            LayerNormForward(a.Ln1[l], a.Ln1Mean[l], a.Ln1Rstd[l], residual, w.Layer("ln1w", l), w.Layer("ln1b", l), N, C, eps);
            MatmulForward(a.Qkv[l], a.Ln1[l], w.Layer("qkvw", l), w.Layer("qkvb", l), N, C, 3 * C);
            AttentionForward(a.Atty[l], a.Att[l], a.Qkv[l], a.Qkv[l].AsSpan(C), a.Qkv[l].AsSpan(2 * C), 3 * C, B, T, C, NH);
            MatmulForward(branch, a.Atty[l], w.Layer("attprojw", l), w.Layer("attprojb", l), N, C, C);
            ResidualForward(a.Residual2[l], residual, branch);
            LayerNormForward(a.Ln2[l], a.Ln2Mean[l], a.Ln2Rstd[l], a.Residual2[l], w.Layer("ln2w", l), w.Layer("ln2b", l), N, C, eps);
            MatmulForward(a.Fch[l], a.Ln2[l], w.Layer("fcw", l), w.Layer("fcb", l), N, C, H);
            GeluForward(a.FchGelu[l], a.Fch[l]);
            MatmulForward(branch, a.FchGelu[l], w.Layer("fcprojw", l), w.Layer("fcprojb", l), N, H, C);
            ResidualForward(a.Residual3[l], a.Residual2[l], branch);
        }
        LayerNormForward(a.Lnf, a.LnfMean, a.LnfRstd, a.Residual3[L - 1], w["lnfw"], w["lnfb"], N, C, eps);
        MatmulForward(a.Logits, a.Lnf, w["wte"], [], N, C, V);
        return a;
    }

    // g: gradient buffer (accumulated into); dlogits: (B, T, V). Exactly the reverse of Gpt2Forward.
    private static void Gpt2Backward(Tensors g, double[] dlogits, Gpt2Activations a, Tensors w, int[] inputs, int B, int T)
    {
        var cfg = w.Config;
        int L = cfg.Layers, C = cfg.Channels, NH = cfg.Heads, H = cfg.Hidden, V = cfg.VocabSize, N = B * T;

        // dx is the gradient of the residual stream: going back through a block, it enters as d(block output) and,
        // with each branch's input gradient added (the residual's identity path), leaves as d(block input).
        var dx = new double[N * C];
        var dlnf = new double[N * C];
        MatmulBackward(dlnf, g["wte"], [], dlogits, a.Lnf, w["wte"], N, C, V);
        LayerNormBackward(dx, g["lnfw"], g["lnfb"], dlnf, a.Residual3[L - 1], w["lnfw"], a.LnfMean, a.LnfRstd, N, C);
        for (int l = L - 1; l >= 0; l--)
        {
            var residual = l == 0 ? a.Encoded : a.Residual3[l - 1];
            var dfchGelu = new double[N * H];
            var dfch = new double[N * H];
            var dln2 = new double[N * C];
            var datty = new double[N * C];
            var dqkv = new double[N * 3 * C];
            var dln1 = new double[N * C];

            MatmulBackward(dfchGelu, g.Layer("fcprojw", l), g.Layer("fcprojb", l), dx, a.FchGelu[l], w.Layer("fcprojw", l), N, H, C);
            GeluBackward(dfch, a.Fch[l], dfchGelu);
            MatmulBackward(dln2, g.Layer("fcw", l), g.Layer("fcb", l), dfch, a.Ln2[l], w.Layer("fcw", l), N, C, H);
            LayerNormBackward(dx, g.Layer("ln2w", l), g.Layer("ln2b", l), dln2, a.Residual2[l], w.Layer("ln2w", l), a.Ln2Mean[l], a.Ln2Rstd[l], N, C);
            MatmulBackward(datty, g.Layer("attprojw", l), g.Layer("attprojb", l), dx, a.Atty[l], w.Layer("attprojw", l), N, C, C);
            AttentionBackward(dqkv, dqkv.AsSpan(C), dqkv.AsSpan(2 * C), datty, a.Qkv[l], a.Qkv[l].AsSpan(C), a.Qkv[l].AsSpan(2 * C), a.Att[l], 3 * C, B, T, C, NH);
            MatmulBackward(dln1, g.Layer("qkvw", l), g.Layer("qkvb", l), dqkv, a.Ln1[l], w.Layer("qkvw", l), N, C, 3 * C);
            LayerNormBackward(dx, g.Layer("ln1w", l), g.Layer("ln1b", l), dln1, residual, w.Layer("ln1w", l), a.Ln1Mean[l], a.Ln1Rstd[l], N, C);
        }
        EncoderBackward(g["wte"], g["wpe"], dx, inputs, B, T, C);
    }
}
