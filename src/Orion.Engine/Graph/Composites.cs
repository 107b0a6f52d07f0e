// Transformer building blocks on the [1, C, 1, S] layout, written with ANE-legal primitives
// (ane-reference.md section 4: attention by hand with a causal mask constant; norms from reduce ops and pow).
using Orion.Engine.Tensors;

namespace Orion.Engine.Graph;

public static class Composites
{
    /// <summary>LayerNorm over channels: (x - mean) * (var + eps)^-0.5 * gamma + beta, gamma/beta [C].</summary>
    public static Node LayerNorm(this GraphBuilder b, Node x, Node gamma, Node beta, float eps = 1e-5f, string name = "ln")
    {
        int c = x.Type.Shape[1];
        var mean = b.ReduceMean(x, [1], true, name + "_mean");
        var d = b.Sub(x, mean, name + "_d");
        var variance = b.ReduceMean(b.Mul(d, d, name + "_d2"), [1], true, name + "_var");
        var inv = b.Pow(b.Add(variance, b.Scalar(eps, name + "_eps"), name + "_ve"), -0.5f, name + "_inv");
        var norm = b.Mul(d, inv, name + "_n");
        return b.Add(b.Mul(norm, b.Reshape(gamma, Shape.Ane(c, 1)), name + "_g"), b.Reshape(beta, Shape.Ane(c, 1)), name);
    }

    /// <summary>RMSNorm over channels: x * (mean(x^2) + eps)^-0.5 * gamma.</summary>
    public static Node RmsNorm(this GraphBuilder b, Node x, Node gamma, float eps = 1e-5f, string name = "rms")
    {
        int c = x.Type.Shape[1];
        var ms = b.ReduceMean(b.Mul(x, x, name + "_x2"), [1], true, name + "_ms");
        var inv = b.Pow(b.Add(ms, b.Scalar(eps, name + "_eps"), name + "_me"), -0.5f, name + "_inv");
        return b.Mul(b.Mul(x, inv, name + "_n"), b.Reshape(gamma, Shape.Ane(c, 1)), name);
    }

    /// <summary>The additive causal mask [1, 1, S, S]: 0 where key j &lt;= query i, a large negative elsewhere.</summary>
    public static float[] CausalMask(int seq, float negative = -30000f)
    {
        var m = new float[seq * seq];
        for (int i = 0; i < seq; i++) for (int j = i + 1; j < seq; j++) m[i * seq + j] = negative;
        return m;
    }

    /// <summary>
    /// Multi-head causal self-attention core on projected q, k, v [1, C, 1, S]: per head softmax(q k^T / sqrt(D) + mask) v.
    /// Returns [1, C, 1, S]. Written by hand because the ANE ignores SDPA's mask (R06).
    /// </summary>
    public static Node Attention(this GraphBuilder b, Node q, Node k, Node v, int heads, string name = "attn")
    {
        int c = q.Type.Shape[1], s = q.Type.Shape[3], d = c / heads;
        if (d * heads != c) throw new GraphException($"attention: {c} channels do not split into {heads} heads");
        var qh = b.Transpose(b.Reshape(q, new Shape(1, heads, d, s), name + "_qh"), [0, 1, 3, 2], name + "_qt"); // [1, H, S, D]
        var kh = b.Reshape(k, new Shape(1, heads, d, s), name + "_kh");                                       // [1, H, D, S]
        var vh = b.Reshape(v, new Shape(1, heads, d, s), name + "_vh");                                       // [1, H, D, S]
        var scores = b.MatMul(qh, kh, name: name + "_qk");                                                    // [1, H, S(i), S(j)]
        var scaled = b.Mul(scores, b.Scalar(1f / MathF.Sqrt(d), name + "_scale"), name + "_sc");
        var mask = b.Const(name + "_mask", new Shape(1, 1, s, s), CausalMask(s));
        var probs = b.Softmax(b.Add(scaled, mask, name + "_masked"), -1, name + "_p");
        var o = b.MatMul(vh, probs, transposeY: true, name: name + "_pv");                                   // [1, H, D, S(i)]
        return b.Reshape(o, Shape.Ane(c, s), name);
    }

    /// <summary>GPT-2 FFN: W2 · gelu_tanh(W1 · x + b1) + b2.</summary>
    public static Node GeluFfn(this GraphBuilder b, Node x, Node w1, Node b1, Node w2, Node b2, string name = "ffn")
    {
        var h = b.Gelu(b.Linear(x, w1, b1, name + "_up"), name + "_gelu");
        return b.Linear(h, w2, b2, name + "_down");
    }

    /// <summary>Llama FFN: W2 · (silu(W1 · x) * (W3 · x)), SiLU as x * sigmoid(x).</summary>
    public static Node SwiGluFfn(this GraphBuilder b, Node x, Node w1, Node w2, Node w3, string name = "swiglu")
    {
        var a = b.Linear(x, w1, null, name + "_gate");
        var u = b.Linear(x, w3, null, name + "_up");
        var h = b.Mul(b.Mul(a, b.Sigmoid(a, name + "_sig"), name + "_silu"), u, name + "_h");
        return b.Linear(h, w2, null, name + "_down");
    }
}
