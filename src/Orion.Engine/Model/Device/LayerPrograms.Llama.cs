// Llama's layer programs: RMSNorm + Q, K, V + interleaved RoPE (llama2.c) + causal attention + output projection;
// RMSNorm + SwiGLU; and their backward-data programs. RoPE is elementwise cos/sin tables plus a fixed pair-swap conv.
using Orion.Engine.Graph;
using Orion.Engine.Tensors;

namespace Orion.Engine.Model.Device;

public static partial class LayerPrograms
{
    // x: (C, T) -> att (C, T), k and q rotated (C, T), ln (C, T), v (C, T), y (C, T).
    private static void LlamaForwardAttention(Layer l, LoraShape? lora)
    {
        var b = l.B;
        int c = l.C;
        var x = l.Input("x", c);
        if (lora is not null) LoraInputs(l, lora);
        var ln = b.Output("ln", b.RmsNorm(x, l.Vector("rms_att"), l.Config.NormEps, "rms1"));
        var (cos, sin, swap) = Rope(l);
        var q = WithLora(l, lora, "q", b.Linear(ln, l.Matrix("wq", c, c), name: "q0"), ln);
        var k = WithLora(l, lora, "k", b.Linear(ln, l.Matrix("wk", c, c), name: "k0"), ln);
        var v = b.Output("v", WithLora(l, lora, "v", b.Linear(ln, l.Matrix("wv", c, c), name: "v"), ln));
        var qr = b.Output("q", Rotate(b, q, cos, sin, swap, "q"));
        var kr = b.Output("k", Rotate(b, k, cos, sin, swap, "k"));
        var att = b.Output("att", b.Attention(qr, kr, v, l.Config.Heads));
        b.Output("y", WithLora(l, lora, "o", b.Linear(att, l.Matrix("wo", c, c), name: "o"), att));
    }

    // x: (C, T) -> g = W1 m (H, T), h = silu(g) * u (H, T), ln (C, T), u = W3 m (H, T), y (C, T).
    private static void LlamaForwardFfn(Layer l)
    {
        var b = l.B;
        var x = l.Input("x", l.C);
        var ln = b.Output("ln", b.RmsNorm(x, l.Vector("rms_ffn"), l.Config.NormEps, "rms2"));
        var g = b.Output("g", b.Linear(ln, l.Matrix("w1", l.H, l.C), name: "g"));
        var u = b.Output("u", b.Linear(ln, l.Matrix("w3", l.H, l.C), name: "u"));
        var h = b.Output("h", b.Mul(b.Mul(g, b.Sigmoid(g, "sig"), "silu"), u, "h"));
        b.Output("y", b.Linear(h, l.Matrix("w2", l.C, l.H), name: "down"));
    }

    // dy: (C, T), g, u: (H, T) -> dg, du (H, T), dx (C, T) at the RMSNorm output.
    private static void LlamaBackwardFfn(Layer l)
    {
        var b = l.B;
        var dy = l.Input("dy", l.C);
        var g = l.Input("g", l.H);
        var u = l.Input("u", l.H);
        var dh = b.Linear(dy, l.Transposed("w2", l.C, l.H, "w2_t"), name: "dh");
        var sig = b.Sigmoid(g, "sig");
        var silu = b.Mul(g, sig, "silu");
        var du = b.Output("du", b.Mul(dh, silu, "du"));
        // d silu / dg = sig * (1 + g * (1 - sig))
        var one = b.Scalar(1f, "one");
        var dsilu = b.Mul(sig, b.Add(one, b.Mul(g, b.Sub(one, sig, "1msig"), "g1msig"), "1pg"), "dsilu");
        var dg = b.Output("dg", b.Mul(b.Mul(dh, u, "dhu"), dsilu, "dg"));
        b.Output("dx", b.Add(b.Linear(dg, l.Transposed("w1", l.H, l.C, "w1_t"), name: "dxg"),
            b.Linear(du, l.Transposed("w3", l.H, l.C, "w3_t"), name: "dxu"), "dx"));
    }

    // dy: (C, T), q and k rotated, v: (C, T) -> dq, dk before rotation, dv (C, T), dx (C, T) at the RMSNorm output.
    private static void LlamaBackwardAttention(Layer l)
    {
        var b = l.B;
        int c = l.C;
        var dy = l.Input("dy", c);
        var q = l.Input("q", c);
        var k = l.Input("k", c);
        var v = l.Input("v", c);
        var dAtt = b.Linear(dy, l.Transposed("wo", c, c, "wo_t"), name: "datt");
        var (dqr, dkr, dv) = b.AttentionBackward( q, k, v, dAtt, l.Config.Heads);
        var (cos, sin, swap) = Rope(l, transposeSwap: true);
        var dq = b.Output("dq", Rotate(b, dqr, cos, sin, swap, "dq", inverse: true));
        var dk = b.Output("dk", Rotate(b, dkr, cos, sin, swap, "dk", inverse: true));
        b.Output("dv", dv);
        b.Output("dx", b.Add(b.Add(b.Linear(dq, l.Transposed("wq", c, c, "wq_t"), name: "dxq"),
            b.Linear(dk, l.Transposed("wk", c, c, "wk_t"), name: "dxk"), "dxqk"),
            b.Linear(dv, l.Transposed("wv", c, c, "wv_t"), name: "dxv"), "dx"));
    }

    /// <summary>
    /// RoPE tables for positions 0..T-1 on the (C, T) layout: cos and sin per channel pair, and the pair swap S with
    /// (S x)[2i] = -x[2i+1], (S x)[2i+1] = x[2i], so rotate(x) = x * cos + (S x) * sin (llama2.c's interleaved pairs).
    /// </summary>
    private static (Node Cos, Node Sin, Node Swap) Rope(Layer l, bool transposeSwap = false)
    {
        int c = l.C, t = l.T, d = l.Config.HeadDim;
        var cos = new float[c * t];
        var sin = new float[c * t];
        for (int i = 0; i < c; i += 2)
        {
            double freq = 1.0 / Math.Pow(l.Config.RopeTheta, (i % d) / (double)d);
            for (int pos = 0; pos < t; pos++)
            {
                double angle = pos * freq;
                cos[i * t + pos] = cos[(i + 1) * t + pos] = (float)Math.Cos(angle);
                sin[i * t + pos] = sin[(i + 1) * t + pos] = (float)Math.Sin(angle);
            }
        }
        var swap = new float[c * c];
        for (int i = 0; i < c; i += 2)
        {
            // rows are outputs: out[i] = -in[i+1], out[i+1] = in[i]; the transpose undoes it for the backward pass.
            swap[transposeSwap ? (i + 1) * c + i : i * c + i + 1] = -1f;
            swap[transposeSwap ? i * c + i + 1 : (i + 1) * c + i] = 1f;
        }
        var b = l.B;
        return (b.Const("rope_cos", Shape.Ane(c, t), cos), b.Const("rope_sin", Shape.Ane(c, t), sin), b.Const("rope_swap", new Shape(c, c), swap));
    }

    // Forward: x * cos + S(x) * sin. Inverse (the backward of the forward): g * cos + S^T(g * sin).
    private static Node Rotate(GraphBuilder b, Node x, Node cos, Node sin, Node swap, string name, bool inverse = false) =>
        inverse
            ? b.Add(b.Mul(x, cos, name + "_c"), b.Linear(b.Mul(x, sin, name + "_s"), swap, name: name + "_sw"), name)
            : b.Add(b.Mul(x, cos, name + "_c"), b.Mul(b.Linear(x, swap, name: name + "_sw"), sin, name + "_s"), name);
}
