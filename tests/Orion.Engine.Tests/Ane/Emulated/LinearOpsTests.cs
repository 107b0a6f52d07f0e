// matmul and conv of the emulator against float64 references: transposes, batch broadcasting, 1x1, grouped, 3x3 padded.
using Orion.Engine.Tensors;
using Xunit;
using static Orion.Engine.Tests.TestSupport.MilBuilder;
using static Orion.Engine.Tests.TestSupport.Numerics;

namespace Orion.Engine.Tests.Ane.Emulated;

public class LinearOpsTests
{
    [Theory]
    [InlineData(new[] { 1, 2, 5, 7 }, new[] { 1, 2, 7, 3 }, false, false)]
    [InlineData(new[] { 1, 2, 5, 7 }, new[] { 1, 2, 3, 7 }, false, true)]
    [InlineData(new[] { 2, 7, 5 }, new[] { 1, 7, 3 }, true, false)]
    [InlineData(new[] { 3, 1, 7, 5 }, new[] { 2, 3, 7 }, true, true)]
    [InlineData(new[] { 40, 33 }, new[] { 33, 20 }, false, false)]
    public void Matmul_TransposesAndBatchBroadcast_MatchDoubleReference(int[] xd, int[] yd, bool tx, bool ty)
    {
        int m = tx ? xd[^1] : xd[^2], k = tx ? xd[^2] : xd[^1], n = ty ? yd[^2] : yd[^1];
        int[] xb = xd[..^2], yb = yd[..^2];
        int rank = Math.Max(xb.Length, yb.Length);
        var batch = Enumerable.Range(0, rank).Select(i => Math.Max(Dim(xb, i, rank), Dim(yb, i, rank))).ToArray();
        var x = RandomFp16(Count(xd), 11);
        var y = RandomFp16(Count(yd), 12);
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp16, xd).Input("y", DType.Fp16, yd)
            .Op("z", F16([.. batch, m, n]), "matmul", ("x", "x"), ("y", "y"), ("transpose_x", tx), ("transpose_y", ty)).Build("z");
        var expected = new double[Count(batch) * m * n];
        for (int bi = 0; bi < Count(batch); bi++)
        {
            var idx = Unflatten(bi, batch);
            int xo = BatchIndex(idx, xb) * m * k, yo = BatchIndex(idx, yb) * k * n;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++)
                        s += (double)x[xo + (tx ? p * m + i : i * k + p)] * y[yo + (ty ? j * k + p : p * n + j)];
                    expected[(bi * m + i) * n + j] = s;
                }
        }
        AssertClose(expected, Run(fn, x, y)[0], 3e-3);
    }

    private static int Dim(int[] d, int i, int rank) => i - (rank - d.Length) >= 0 ? d[i - (rank - d.Length)] : 1;

    private static int BatchIndex(int[] outIdx, int[] dims)
    {
        int flat = 0, off = outIdx.Length - dims.Length;
        for (int a = 0; a < dims.Length; a++) flat = flat * dims[a] + (dims[a] == 1 ? 0 : outIdx[a + off]);
        return flat;
    }

    [Theory]
    [InlineData(1, 8, 1, 10, 6, 1, 1, "valid", 1, 1)]     // the ANE's 1x1 conv on [1, C, 1, S]
    [InlineData(2, 6, 3, 4, 9, 1, 1, "valid", 3, 1)]      // grouped pointwise
    [InlineData(1, 4, 5, 6, 6, 3, 3, "same", 2, 1)]       // grouped 3x3, same padding
    [InlineData(1, 3, 7, 7, 4, 3, 3, "same", 1, 2)]       // stride 2
    [InlineData(1, 2, 5, 6, 3, 3, 2, "custom", 1, 1)]     // custom asymmetric pad
    [InlineData(1, 2, 6, 6, 2, 2, 2, "valid", 1, 1)]
    public void Conv_Shapes_MatchDoubleReference(int n, int c, int h, int w, int oc, int kh, int kw, string padType, int groups, int stride)
    {
        int[] pad = padType == "custom" ? [1, 0, 2, 1] : [0, 0, 0, 0];
        if (padType == "same")
        {
            int outH = (h + stride - 1) / stride, outW = (w + stride - 1) / stride;
            int th = Math.Max(0, (outH - 1) * stride + kh - h), tw = Math.Max(0, (outW - 1) * stride + kw - w);
            pad = [th / 2, th - th / 2, tw / 2, tw - tw / 2];
        }
        int oh = (h + pad[0] + pad[1] - kh) / stride + 1, ow = (w + pad[2] + pad[3] - kw) / stride + 1;
        int icg = c / groups, ocg = oc / groups;
        var x = RandomFp16(n * c * h * w, 21);
        var wt = RandomFp16(oc * icg * kh * kw, 22);
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp16, n, c, h, w)
            .Const("W", Tensor(DType.Fp16, [oc, icg, kh, kw], wt.Select(v => (double)v)))
            .Op("y", F16(n, oc, oh, ow), "conv", ("x", "x"), ("weight", "W"), ("strides", new[] { stride, stride }),
                ("pad_type", Str(padType)), ("pad", pad), ("dilations", new[] { 1, 1 }), ("groups", groups)).Build("y");
        var expected = new double[n * oc * oh * ow];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < oc; o++)
                for (int y = 0; y < oh; y++)
                    for (int xo = 0; xo < ow; xo++)
                    {
                        double s = 0;
                        for (int ic = 0; ic < icg; ic++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int iy = y * stride + ky - pad[0], ix = xo * stride + kx - pad[2];
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    s += (double)x[((b * c + o / ocg * icg + ic) * h + iy) * w + ix] * wt[((o * icg + ic) * kh + ky) * kw + kx];
                                }
                        expected[((b * oc + o) * oh + y) * ow + xo] = s;
                    }
        AssertClose(expected, Run(fn, x)[0], 3e-3);
    }
}
