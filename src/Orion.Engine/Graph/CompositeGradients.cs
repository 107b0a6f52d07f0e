// Backward-data composites on the [1, C, 1, S] layout, written with the same ANE-legal primitives as their forward
// composites (Composites.cs): causal attention recomputed from q, k, v (no stored probabilities), and GELU-tanh's derivative.
using Orion.Engine.Tensors;

namespace Orion.Engine.Graph;

public static class CompositeGradients
{
    /// <summary>
    /// Gradients of <see cref="Composites.Attention"/> with respect to q, k and v, given the gradient of its output.
    /// Per head, with P = softmax(q^T k * s + mask): dV = dO P, dP = dO^T V, dS = P * (dP - rowsum(P * dP)),
    /// dq = s * K dS^T, dk = s * Q dS. All [1, C, 1, S].
    /// </summary>
    public static (Node Dq, Node Dk, Node Dv) AttentionBackward(this GraphBuilder b, Node q, Node k, Node v, Node dOut, int heads, string name = "attn_bwd")
    {
        int c = q.Type.Shape[1], s = q.Type.Shape[3], d = c / heads;
        if (d * heads != c) throw new GraphException($"attention backward: {c} channels do not split into {heads} heads");
        var headShape = new Shape(1, heads, d, s);
        var qh = b.Reshape(q, headShape, name + "_qh");                                                      // [1, H, D, S(i)]
        var kh = b.Reshape(k, headShape, name + "_kh");                                                      // [1, H, D, S(j)]
        var vh = b.Reshape(v, headShape, name + "_vh");
        var doh = b.Reshape(dOut, headShape, name + "_doh");                                                  // [1, H, D, S(i)]
        float scale = 1f / MathF.Sqrt(d);
        var scores = b.MatMul(b.Transpose(qh, [0, 1, 3, 2], name + "_qt"), kh, name: name + "_qk");           // [1, H, S(i), S(j)]
        var scaled = b.Mul(scores, b.Scalar(scale, name + "_scale"), name + "_sc");
        var mask = b.Const(name + "_mask", new Shape(1, 1, s, s), Composites.CausalMask(s));
        var p = b.Softmax(b.Add(scaled, mask, name + "_masked"), -1, name + "_p");
        var dv = b.MatMul(doh, p, name: name + "_dv");                                                       // [1, H, D, S(j)]
        var dp = b.MatMul(doh, vh, transposeX: true, name: name + "_dp");                                     // [1, H, S(i), S(j)]
        var rowDot = b.ReduceSum(b.Mul(p, dp, name + "_pdp"), [3], true, name + "_rowdot");                   // [1, H, S(i), 1]
        var ds = b.Mul(b.Mul(p, b.Sub(dp, rowDot, name + "_dpc"), name + "_ds0"), b.Scalar(scale, name + "_scale2"), name + "_ds");
        var dq = b.MatMul(kh, ds, transposeY: true, name: name + "_dq");                                     // [1, H, D, S(i)]
        var dk = b.MatMul(qh, ds, name: name + "_dk");                                                       // [1, H, D, S(j)]
        return (b.Reshape(dq, Shape.Ane(c, s), name + "_dqr"), b.Reshape(dk, Shape.Ane(c, s), name + "_dkr"), b.Reshape(dv, Shape.Ane(c, s), name + "_dvr"));
    }

    /// <summary>
    /// d gelu_tanh(x) / dx = 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2), t = tanh(sqrt(2/pi) (x + 0.044715 x^3)).
    /// </summary>
    public static Node GeluGrad(this GraphBuilder b, Node x, string name = "gelu_grad")
    {
        const float a = 0.044715f;
        float k = MathF.Sqrt(2f / MathF.PI);
        var x2 = b.Mul(x, x, name + "_x2");
        var inner = b.Mul(b.Add(x, b.Mul(b.Mul(x2, x, name + "_x3"), b.Scalar(a, name + "_a"), name + "_ax3"), name + "_in0"), b.Scalar(k, name + "_k"), name + "_in");
        var t = b.Tanh(inner, name + "_t");
        var half = b.Scalar(0.5f, name + "_half");
        var one = b.Scalar(1f, name + "_one");
        var left = b.Mul(b.Add(one, t, name + "_1pt"), half, name + "_left");
        var sech2 = b.Sub(one, b.Mul(t, t, name + "_t2"), name + "_sech2");
        var dinner = b.Mul(b.Add(one, b.Mul(x2, b.Scalar(3 * a, name + "_3a"), name + "_3ax2"), name + "_di0"), b.Scalar(k, name + "_k2"), name + "_dinner");
        var right = b.Mul(b.Mul(b.Mul(x, half, name + "_hx"), sech2, name + "_hxs"), dinner, name + "_right");
        return b.Add(left, right, name);
    }
}
