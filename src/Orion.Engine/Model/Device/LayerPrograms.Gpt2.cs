// GPT-2's layer programs: LayerNorm + fused QKV + causal attention + projection; LayerNorm + GELU-tanh MLP; and their
// backward-data programs with transposed weights baked in.
using Orion.Engine.Graph;

namespace Orion.Engine.Model.Device;

public static partial class LayerPrograms
{
    // x: (C, T) -> att (C, T) attention before the projection, ln (C, T), qkv (3C, T), y (C, T) the branch output.
    private static void Gpt2ForwardAttention(Layer l, LoraShape? lora)
    {
        var b = l.B;
        int c = l.C;
        var x = l.Input("x", c);
        if (lora is not null) LoraInputs(l, lora);
        var ln = b.Output("ln", b.LayerNorm(x, l.Vector("ln1w"), l.Vector("ln1b"), l.Config.NormEps, "ln1"));
        var qkv = b.Output("qkv", b.Linear(ln, l.Matrix("qkvw", 3 * c, c), l.Vector("qkvb"), "qkv"));
        var q = WithLora(l, lora, "q", l.Channels(qkv, 0, c, "q"), ln);
        var k = WithLora(l, lora, "k", l.Channels(qkv, c, c, "k"), ln);
        var v = WithLora(l, lora, "v", l.Channels(qkv, 2 * c, c, "v"), ln);
        var att = b.Output("att", b.Attention(q, k, v, l.Config.Heads));
        b.Output("y", WithLora(l, lora, "o", b.Linear(att, l.Matrix("attprojw", c, c), l.Vector("attprojb"), "proj"), att));
    }

    // x: (C, T) -> h = gelu(pre) (H, T), ln (C, T), pre (H, T), y (C, T).
    private static void Gpt2ForwardFfn(Layer l)
    {
        var b = l.B;
        var x = l.Input("x", l.C);
        var ln = b.Output("ln", b.LayerNorm(x, l.Vector("ln2w"), l.Vector("ln2b"), l.Config.NormEps, "ln2"));
        var pre = b.Output("pre", b.Linear(ln, l.Matrix("fcw", l.H, l.C), l.Vector("fcb"), "fc"));
        var h = b.Output("h", b.Gelu(pre, "gelu"));
        b.Output("y", b.Linear(h, l.Matrix("fcprojw", l.C, l.H), l.Vector("fcprojb"), "fcproj"));
    }

    // dy: (C, T), pre: (H, T) -> dpre (H, T), dx (C, T) the gradient at the LayerNorm output.
    private static void Gpt2BackwardFfn(Layer l)
    {
        var b = l.B;
        var dy = l.Input("dy", l.C);
        var pre = l.Input("pre", l.H);
        var dh = b.Linear(dy, l.Transposed("fcprojw", l.C, l.H, "fcprojw_t"), name: "dh");
        var dpre = b.Output("dpre", b.Mul(dh, b.GeluGrad(pre), "dpre"));
        b.Output("dx", b.Linear(dpre, l.Transposed("fcw", l.H, l.C, "fcw_t"), name: "dln"));
    }

    // dy: (C, T) the branch gradient, qkv: (3C, T) saved -> dq, dk, dv (C, T each), dx (C, T) at the LayerNorm output.
    private static void Gpt2BackwardAttention(Layer l)
    {
        var b = l.B;
        int c = l.C;
        var dy = l.Input("dy", c);
        var qkv = l.Input("qkv", 3 * c);
        var dAtt = b.Linear(dy, l.Transposed("attprojw", c, c, "attprojw_t"), name: "datt");
        var (dq, dk, dv) = b.AttentionBackward( l.Channels(qkv, 0, c, "q"), l.Channels(qkv, c, c, "k"), l.Channels(qkv, 2 * c, c, "v"), dAtt, l.Config.Heads);
        // Three outputs, not a concat (R01): the CPU writes each into its rows of dW_qkv.
        b.Output("dq", dq);
        b.Output("dk", dk);
        b.Output("dv", dv);
        var dx = b.Add(b.Add(b.Linear(dq, l.Transposed("qkvw", c, c, "wq_t", 0), name: "dxq"),
            b.Linear(dk, l.Transposed("qkvw", c, c, "wk_t", c), name: "dxk"), "dxqk"),
            b.Linear(dv, l.Transposed("qkvw", c, c, "wv_t", 2 * c), name: "dxv"), "dx");
        b.Output("dx", dx);
    }
}
