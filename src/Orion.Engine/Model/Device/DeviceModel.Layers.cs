// One layer forward (both families) and backward (per family) of a DeviceModel: device programs per sequence, the
// residual adds, norm backward and weight gradients on the CPU. Backward runs the layer's steps in exact reverse.
using Orion.Engine.Model.Cpu;

namespace Orion.Engine.Model.Device;

public sealed partial class DeviceModel
{
    // x: (C, N) residual in, updated in place to the layer's output. Caches "x" (attention input), "xm" (FFN input)
    // and every program output under "a." / "f." prefixes.
    private void LayerForward(int l, Matrix x)
    {
        int c = Config.Channels;
        var attn = Program(l, ProgramKind.ForwardAttention);
        Array.Copy(x.Data, Act(l, "x", c).Data, x.Data.Length);
        var y = Scratch(c, 1);
        RunSequences(attn, [("x", x)], Outputs(l, attn, "a.", y));
        Add(x, y);
        Array.Copy(x.Data, Act(l, "xm", c).Data, x.Data.Length);
        var ffn = Program(l, ProgramKind.ForwardFfn);
        RunSequences(ffn, [("x", x)], Outputs(l, ffn, "f.", y));
        Add(x, y);
    }

    // Output "y" goes to the scratch branch buffer; everything else is cached (prefix + name) for the backward.
    private (string, Matrix)[] Outputs(int l, DeviceProgram p, string prefix, Matrix y) =>
        p.Program.Outputs.Select(o => (o.Name, o.Name == "y" ? y : Act(l, prefix + o.Name, o.Type.EffectiveShape[1]))).ToArray();

    private static void Add(Matrix x, Matrix y)
    {
        var a = x.Data; var b = y.Data;
        for (int i = 0; i < a.Length; i++) a[i] += b[i];
    }

    // dx: (C, N) gradient at the layer's output; on return, at its input.
    private void Gpt2LayerBackward(int l, Matrix dx, ModelParameters g)
    {
        var p = Parameters;
        int c = Config.Channels, h = Config.Hidden;
        float eps = Config.NormEps;
        // FFN branch: y = fcproj(gelu(fc(ln2(xm)))).
        Dense.AccumulateWeightGrad(g.Data, g.OffsetOf("fcprojw", l), dx, _acts[l]["f.h"]);
        Dense.AccumulateBiasGrad(g.Layer("fcprojb", l), dx);
        var dpre = Scratch(h, 2);
        var dln = Scratch(c, 3);
        RunSequences(Program(l, ProgramKind.BackwardFfn), [("dy", dx), ("pre", _acts[l]["f.pre"])], [("dpre", dpre), ("dx", dln)]);
        Dense.AccumulateWeightGrad(g.Data, g.OffsetOf("fcw", l), dpre, _acts[l]["f.ln"]);
        Dense.AccumulateBiasGrad(g.Layer("fcb", l), dpre);
        Norms.LayerNormBackward(dx, g.Layer("ln2w", l), g.Layer("ln2b", l), dln, _acts[l]["xm"], p.Layer("ln2w", l), eps);
        // Attention branch: y = attproj(attention(qkv(ln1(x)))).
        Dense.AccumulateWeightGrad(g.Data, g.OffsetOf("attprojw", l), dx, _acts[l]["a.att"]);
        Dense.AccumulateBiasGrad(g.Layer("attprojb", l), dx);
        var (dq, dk, dv) = (Scratch(c, 4), Scratch(c, 5), Scratch(c, 6));
        RunSequences(Program(l, ProgramKind.BackwardAttention), [("dy", dx), ("qkv", _acts[l]["a.qkv"])], [("dq", dq), ("dk", dk), ("dv", dv), ("dx", dln)]);
        var ln1 = _acts[l]["a.ln"];
        int w0 = g.OffsetOf("qkvw", l);
        var qkvb = g.Layer("qkvb", l);
        Dense.AccumulateWeightGrad(g.Data, w0, dq, ln1);
        Dense.AccumulateWeightGrad(g.Data, w0 + c * c, dk, ln1);
        Dense.AccumulateWeightGrad(g.Data, w0 + 2 * c * c, dv, ln1);
        Dense.AccumulateBiasGrad(qkvb[..c], dq);
        Dense.AccumulateBiasGrad(qkvb.Slice(c, c), dk);
        Dense.AccumulateBiasGrad(qkvb.Slice(2 * c, c), dv);
        Norms.LayerNormBackward(dx, g.Layer("ln1w", l), g.Layer("ln1b", l), dln, _acts[l]["x"], p.Layer("ln1w", l), eps);
    }

    private void LlamaLayerBackward(int l, Matrix dx, ModelParameters g)
    {
        var p = Parameters;
        int c = Config.Channels, h = Config.Hidden;
        float eps = Config.NormEps;
        // FFN branch: y = w2(silu(w1 m) * w3 m), m = rms(xm).
        Dense.AccumulateWeightGrad(g.Data, g.OffsetOf("w2", l), dx, _acts[l]["f.h"]);
        var (dg, du, dln) = (Scratch(h, 2), Scratch(h, 7), Scratch(c, 3));
        RunSequences(Program(l, ProgramKind.BackwardFfn), [("dy", dx), ("g", _acts[l]["f.g"]), ("u", _acts[l]["f.u"])], [("dg", dg), ("du", du), ("dx", dln)]);
        var m = _acts[l]["f.ln"];
        Dense.AccumulateWeightGrad(g.Data, g.OffsetOf("w1", l), dg, m);
        Dense.AccumulateWeightGrad(g.Data, g.OffsetOf("w3", l), du, m);
        Norms.RmsNormBackward(dx, g.Layer("rms_ffn", l), dln, _acts[l]["xm"], p.Layer("rms_ffn", l), eps);
        // Attention branch: y = wo(attention(rope(wq a), rope(wk a), wv a)), a = rms(x).
        Dense.AccumulateWeightGrad(g.Data, g.OffsetOf("wo", l), dx, _acts[l]["a.att"]);
        var (dq, dk, dv) = (Scratch(c, 4), Scratch(c, 5), Scratch(c, 6));
        RunSequences(Program(l, ProgramKind.BackwardAttention),
            [("dy", dx), ("k", _acts[l]["a.k"]), ("q", _acts[l]["a.q"]), ("v", _acts[l]["a.v"])],
            [("dk", dk), ("dq", dq), ("dv", dv), ("dx", dln)]);
        var a = _acts[l]["a.ln"];
        Dense.AccumulateWeightGrad(g.Data, g.OffsetOf("wq", l), dq, a);
        Dense.AccumulateWeightGrad(g.Data, g.OffsetOf("wk", l), dk, a);
        Dense.AccumulateWeightGrad(g.Data, g.OffsetOf("wv", l), dv, a);
        Norms.RmsNormBackward(dx, g.Layer("rms_att", l), dln, _acts[l]["x"], p.Layer("rms_att", l), eps);
    }
}
