// Llama in the reference (llama2.c run.c forward, with its backward): no learned positions, RMSNorm, RoPE on q and k,
// bias-free projections, SwiGLU MLP, final RMSNorm, logits through the tied token embedding.
namespace Orion.Engine.Model;

public static partial class ReferenceModel
{
    /// <summary>What Llama's backward reads back from the forward pass; per-layer arrays are indexed [layer].</summary>
    private sealed class LlamaActivations(int L, int B, int T, int C, int NH, int H, int V)
    {
        public double[] Encoded { get; } = new double[B * T * C];       // (B, T, C) tok_embeddings[token]
        public double[][] RmsAtt { get; } = Layers(L, B * T * C);         // (L, B, T, C)
        public double[][] RmsAttRstd { get; } = Layers(L, B * T);         // (L, B, T)
        public double[][] Q { get; } = Layers(L, B * T * C);              // (L, B, T, C) after RoPE
        public double[][] K { get; } = Layers(L, B * T * C);              // (L, B, T, C) after RoPE
        public double[][] V { get; } = Layers(L, B * T * C);              // (L, B, T, C)
        public double[][] Att { get; } = Layers(L, B * NH * T * T);       // (L, B, NH, T, T)
        public double[][] Atty { get; } = Layers(L, B * T * C);           // (L, B, T, C) attention output before wo
        public double[][] Residual2 { get; } = Layers(L, B * T * C);      // (L, B, T, C) stream after attention
        public double[][] RmsFfn { get; } = Layers(L, B * T * C);
        public double[][] RmsFfnRstd { get; } = Layers(L, B * T);
        public double[][] Gate { get; } = Layers(L, B * T * H);           // (L, B, T, H) w1 m
        public double[][] Up { get; } = Layers(L, B * T * H);             // (L, B, T, H) w3 m
        public double[][] SwiGlu { get; } = Layers(L, B * T * H);         // (L, B, T, H) silu(gate) * up
        public double[][] Residual3 { get; } = Layers(L, B * T * C);      // (L, B, T, C) stream after the MLP
        public double[] RmsFinal { get; } = new double[B * T * C];        // (B, T, C)
        public double[] RmsFinalRstd { get; } = new double[B * T];
        public double[] Logits { get; } = new double[B * T * V];          // (B, T, V)
    }

    private static LlamaActivations LlamaForward(Tensors w, int[] inputs, int B, int T)
    {
        var cfg = w.Config;
        int L = cfg.Layers, C = cfg.Channels, NH = cfg.Heads, D = cfg.HeadDim, H = cfg.Hidden, V = cfg.VocabSize, N = B * T;
        double eps = cfg.NormEps, theta = cfg.RopeTheta;
        var a = new LlamaActivations(L, B, T, C, NH, H, V);
        var branch = new double[N * C]; // (B, T, C) a block's branch output, added to the stream; backward does not need it

        EncoderForward(a.Encoded, inputs, w["tok_embeddings"], [], B, T, C);
        for (int l = 0; l < L; l++)
        {
            var residual = l == 0 ? a.Encoded : a.Residual3[l - 1];
            RmsNormForward(a.RmsAtt[l], a.RmsAttRstd[l], residual, w.Layer("rms_att", l), N, C, eps);
            MatmulForward(a.Q[l], a.RmsAtt[l], w.Layer("wq", l), [], N, C, C);
            MatmulForward(a.K[l], a.RmsAtt[l], w.Layer("wk", l), [], N, C, C);
            MatmulForward(a.V[l], a.RmsAtt[l], w.Layer("wv", l), [], N, C, C);
            RopeForward(a.Q[l], B, T, C, D, theta);
            RopeForward(a.K[l], B, T, C, D, theta);
            AttentionForward(a.Atty[l], a.Att[l], a.Q[l], a.K[l], a.V[l], C, B, T, C, NH);
            MatmulForward(branch, a.Atty[l], w.Layer("wo", l), [], N, C, C);
            ResidualForward(a.Residual2[l], residual, branch);
            RmsNormForward(a.RmsFfn[l], a.RmsFfnRstd[l], a.Residual2[l], w.Layer("rms_ffn", l), N, C, eps);
            MatmulForward(a.Gate[l], a.RmsFfn[l], w.Layer("w1", l), [], N, C, H);
            MatmulForward(a.Up[l], a.RmsFfn[l], w.Layer("w3", l), [], N, C, H);
            SwiGluForward(a.SwiGlu[l], a.Gate[l], a.Up[l]);
            MatmulForward(branch, a.SwiGlu[l], w.Layer("w2", l), [], N, H, C);
            ResidualForward(a.Residual3[l], a.Residual2[l], branch);
        }
        RmsNormForward(a.RmsFinal, a.RmsFinalRstd, a.Residual3[L - 1], w["rms_final"], N, C, eps);
        MatmulForward(a.Logits, a.RmsFinal, w["tok_embeddings"], [], N, C, V);
        return a;
    }

    // g: gradient buffer (accumulated into); dlogits: (B, T, V). Exactly the reverse of LlamaForward.
    private static void LlamaBackward(Tensors g, double[] dlogits, LlamaActivations a, Tensors w, int[] inputs, int B, int T)
    {
        var cfg = w.Config;
        int L = cfg.Layers, C = cfg.Channels, NH = cfg.Heads, D = cfg.HeadDim, H = cfg.Hidden, V = cfg.VocabSize, N = B * T;
        double theta = cfg.RopeTheta;

        // dx: the residual stream's gradient, as in Gpt2Backward (d(block output) in, d(block input) out).
        var dx = new double[N * C];
        var drmsFinal = new double[N * C];
        MatmulBackward(drmsFinal, g["tok_embeddings"], [], dlogits, a.RmsFinal, w["tok_embeddings"], N, C, V);
        RmsNormBackward(dx, g["rms_final"], drmsFinal, a.Residual3[L - 1], w["rms_final"], a.RmsFinalRstd, N, C);
        for (int l = L - 1; l >= 0; l--)
        {
            var residual = l == 0 ? a.Encoded : a.Residual3[l - 1];
            var dswiglu = new double[N * H];
            var dgate = new double[N * H];
            var dup = new double[N * H];
            var drmsFfn = new double[N * C];
            var datty = new double[N * C];
            var dq = new double[N * C];
            var dk = new double[N * C];
            var dv = new double[N * C];
            var drmsAtt = new double[N * C];

            MatmulBackward(dswiglu, g.Layer("w2", l), [], dx, a.SwiGlu[l], w.Layer("w2", l), N, H, C);
            SwiGluBackward(dgate, dup, dswiglu, a.Gate[l], a.Up[l]);
            MatmulBackward(drmsFfn, g.Layer("w3", l), [], dup, a.RmsFfn[l], w.Layer("w3", l), N, C, H);
            MatmulBackward(drmsFfn, g.Layer("w1", l), [], dgate, a.RmsFfn[l], w.Layer("w1", l), N, C, H);
            RmsNormBackward(dx, g.Layer("rms_ffn", l), drmsFfn, a.Residual2[l], w.Layer("rms_ffn", l), a.RmsFfnRstd[l], N, C);
            MatmulBackward(datty, g.Layer("wo", l), [], dx, a.Atty[l], w.Layer("wo", l), N, C, C);
            AttentionBackward(dq, dk, dv, datty, a.Q[l], a.K[l], a.V[l], a.Att[l], C, B, T, C, NH);
            RopeBackward(dk, B, T, C, D, theta);
            RopeBackward(dq, B, T, C, D, theta);
            MatmulBackward(drmsAtt, g.Layer("wv", l), [], dv, a.RmsAtt[l], w.Layer("wv", l), N, C, C);
            MatmulBackward(drmsAtt, g.Layer("wk", l), [], dk, a.RmsAtt[l], w.Layer("wk", l), N, C, C);
            MatmulBackward(drmsAtt, g.Layer("wq", l), [], dq, a.RmsAtt[l], w.Layer("wq", l), N, C, C);
            RmsNormBackward(dx, g.Layer("rms_att", l), drmsAtt, residual, w.Layer("rms_att", l), a.RmsAttRstd[l], N, C);
        }
        EncoderBackward(g["tok_embeddings"], [], dx, inputs, B, T, C);
    }
}
