// matmul (coremltools linear.matmul): x[..., M, K]·y[..., K, N] with numpy-broadcast batch dims, transposes absorbed by
// strided GEMM views (Kernels/Gemm.cs). R12 (flags must be named constants) is checked by PlanBuilder.Bool.
using Orion.Engine.Kernels;

namespace Orion.Engine.Ane.Emulated.Ops;

internal static class MatmulOps
{
    public static void Matmul(PlanBuilder b)
    {
        b.Allow("x", "y", "transpose_x", "transpose_y");
        var x = b.Input("x");
        var y = b.Input("y");
        bool tx = b.Bool("transpose_x", false), ty = b.Bool("transpose_y", false);
        b.RequireFloat(x, "x");
        if (x.DType != y.DType) b.Fail($"x is {x} but y is {y}", "cast one operand so both share a dtype");
        if (x.Rank is < 2 or > 4 || y.Rank is < 2 or > 4) b.Fail($"x is {x} and y is {y}; matmul here takes rank 2 to 4", "reshape to [B, H, M, K]");
        int m = tx ? x.Dims[^1] : x.Dims[^2], kx = tx ? x.Dims[^2] : x.Dims[^1];
        int ky = ty ? y.Dims[^1] : y.Dims[^2], n = ty ? y.Dims[^2] : y.Dims[^1];
        if (kx != ky)
            b.Fail($"inner dimensions differ: x {x} gives K = {kx} (transpose_x = {tx}), y {y} gives K = {ky} (transpose_y = {ty})", "check the transpose flags");
        var xBatch = x.Dims[..^2];
        var yBatch = y.Dims[..^2];
        var batch = ElementwiseOps.Broadcast(b, xBatch, yBatch);
        var o = b.Output(x.DType, [.. batch, m, n]);
        int batches = PlanTensor.ElementCount(batch);
        int[] xb = ElementwiseOps.IndexMap(xBatch, batch), yb = ElementwiseOps.IndexMap(yBatch, batch);
        int k = kx, xSize = m * k, ySize = k * n;
        float[] xd = x.Data, yd = y.Data, od = o.Data;
        b.Step(o, [x, y], () =>
        {
            for (int i = 0; i < batches; i++)
            {
                var a = tx ? new MatrixView(xd, xb[i] * xSize, 1, m) : MatrixView.RowMajor(xd, xb[i] * xSize, k);
                var bv = ty ? new MatrixView(yd, yb[i] * ySize, 1, k) : MatrixView.RowMajor(yd, yb[i] * ySize, n);
                Gemm.Multiply(m, n, k, a, bv, od, i * m * n, n);
            }
        });
    }
}
