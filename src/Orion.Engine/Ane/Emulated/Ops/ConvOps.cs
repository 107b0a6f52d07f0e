// conv (coremltools conv.conv): x[N, C, H, W] * weight[OC, C/groups, kH, kW], no bias (R13). 1x1 stride-1 unpadded convs
// are W[OC, IC]·X[IC, H*W] on the GEMM kernel; other small kernels run a direct loop.
using Orion.Engine.Kernels;

namespace Orion.Engine.Ane.Emulated.Ops;

internal static class ConvOps
{
    public static void Conv(PlanBuilder b)
    {
        if (b.Statement.Operand("bias") is not null)
            b.Fail("R13: conv has no bias parameter on the ANE", "drop bias and add it with a separate add op");
        b.Allow("x", "weight", "strides", "pad_type", "pad", "dilations", "groups");
        var x = b.Input("x");
        var w = b.Input("weight");
        b.RequireFloat(x, "x");
        if (w.DType != x.DType) b.Fail($"x is {x} but weight is {w}", "weights must share the input's dtype");
        if (x.Rank != 4 || w.Rank != 4) b.Fail($"x is {x} and weight is {w}; conv here takes rank-4 [N, C, H, W] and [OC, C/groups, kH, kW]", "reshape to [1, C, 1, S]");
        int groups = b.Int("groups", 1);
        int n = x.Dims[0], c = x.Dims[1], h = x.Dims[2], wd = x.Dims[3];
        int oc = w.Dims[0], icg = w.Dims[1], kh = w.Dims[2], kw = w.Dims[3];
        if (groups < 1 || c % groups != 0 || oc % groups != 0 || icg != c / groups)
            b.Fail($"weight {w} does not fit x {x} with groups = {groups}", "weight is [OC, C/groups, kH, kW] and both C and OC divide by groups");
        if (c > b.Profile.MaxConvInputChannels)
            b.Fail($"R16: {c} input channels exceed the {b.Profile.MaxConvInputChannels} the {b.Profile.Name} accepts", "split the input channels and add the partial convs");
        var strides = b.OptionalInts("strides") ?? [1, 1];
        var dil = b.OptionalInts("dilations") ?? [1, 1];
        if (strides.Length != 2 || dil.Length != 2 || strides.Any(s => s < 1) || dil.Any(d => d < 1))
            b.Fail("strides and dilations need two positive entries");
        var pads = Pads(b, h, wd, kh, kw, strides, dil);
        int oh = (h + pads[0] + pads[1] - dil[0] * (kh - 1) - 1) / strides[0] + 1;
        int ow = (wd + pads[2] + pads[3] - dil[1] * (kw - 1) - 1) / strides[1] + 1;
        if (oh < 1 || ow < 1) b.Fail($"the kernel {kh}x{kw} does not fit x {x} with these pads and dilations");
        var o = b.Output(x.DType, [n, oc, oh, ow]);
        var g = new Geometry(n, c, h, wd, oc, icg, kh, kw, groups, strides[0], strides[1], dil[0], dil[1], pads[0], pads[2], oh, ow);
        float[] xd = x.Data, wdata = w.Data, od = o.Data;
        bool pointwise = kh == 1 && kw == 1 && strides.All(s => s == 1) && pads.All(p => p == 0);
        b.Step(o, [x, w], pointwise ? () => Pointwise(g, xd, wdata, od) : () => Direct(g, xd, wdata, od));
    }

    private static int[] Pads(PlanBuilder b, int h, int w, int kh, int kw, int[] strides, int[] dil)
    {
        var type = b.String("pad_type", "valid");
        switch (type)
        {
            case "valid": return [0, 0, 0, 0];
            case "custom":
                var p = b.OptionalInts("pad") ?? [0, 0, 0, 0];
                if (p.Length != 4 || p.Any(v => v < 0)) b.Fail("pad needs four non-negative entries [top, bottom, left, right]");
                return p;
            case "same" or "same_lower":
                var (t, bo) = Same(h, kh, strides[0], dil[0], type == "same_lower");
                var (l, r) = Same(w, kw, strides[1], dil[1], type == "same_lower");
                return [t, bo, l, r];
            default:
                throw b.Error($"pad_type '{type}' is not one of valid, same, same_lower, custom");
        }
    }

    private static (int Before, int After) Same(int size, int k, int stride, int dil, bool lower)
    {
        int outSize = (size + stride - 1) / stride;
        int total = Math.Max(0, (outSize - 1) * stride + (k - 1) * dil + 1 - size);
        int small = total / 2;
        return lower ? (total - small, small) : (small, total - small);
    }

    private readonly record struct Geometry(int N, int C, int H, int W, int OC, int ICg, int KH, int KW, int Groups,
        int StrideH, int StrideW, int DilH, int DilW, int PadTop, int PadLeft, int OH, int OW);

    // Y[g][OCg, S] = W[g][OCg, ICg]·X[g][ICg, S] for each batch item and group.
    private static void Pointwise(Geometry g, float[] x, float[] w, float[] y)
    {
        int s = g.H * g.W, ocg = g.OC / g.Groups;
        for (int b = 0; b < g.N; b++)
        {
            for (int gr = 0; gr < g.Groups; gr++)
            {
                var a = MatrixView.RowMajor(w, gr * ocg * g.ICg, g.ICg);
                var xm = MatrixView.RowMajor(x, (b * g.C + gr * g.ICg) * s, s);
                Gemm.Multiply(ocg, s, g.ICg, a, xm, y, (b * g.OC + gr * ocg) * s, s);
            }
        }
    }

    private static void Direct(Geometry g, float[] x, float[] w, float[] y)
    {
        int ocg = g.OC / g.Groups;
        for (int b = 0; b < g.N; b++)
        for (int oc = 0; oc < g.OC; oc++)
        {
            int gr = oc / ocg;
            for (int oy = 0; oy < g.OH; oy++)
            for (int ox = 0; ox < g.OW; ox++)
            {
                float acc = 0;
                for (int ic = 0; ic < g.ICg; ic++)
                {
                    int xPlane = (b * g.C + gr * g.ICg + ic) * g.H * g.W;
                    int wBase = ((oc * g.ICg) + ic) * g.KH * g.KW;
                    for (int ky = 0; ky < g.KH; ky++)
                    {
                        int iy = oy * g.StrideH - g.PadTop + ky * g.DilH;
                        if ((uint)iy >= (uint)g.H) continue;
                        for (int kx = 0; kx < g.KW; kx++)
                        {
                            int ix = ox * g.StrideW - g.PadLeft + kx * g.DilW;
                            if ((uint)ix >= (uint)g.W) continue;
                            acc += x[xPlane + iy * g.W + ix] * w[wBase + ky * g.KW + kx];
                        }
                    }
                }
                y[((b * g.OC + oc) * g.OH + oy) * g.OW + ox] = acc;
            }
        }
    }
}
