// fp32 GEMM C[M,N] (+)= A[M,K]·B[K,N]: BLIS-style blocking (pack A and B panels, 6x16 register tile) with capability dispatch.
// Threads split output blocks from a fixed grid and never the K sum, so results are bit-identical for any thread count.
// Hot loops are AggressiveOptimization: under TieredPGO (orion's setting) the tiered code ran the conv-768 GEMM 8x slower.
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Orion.Engine.Kernels;

public static partial class Gemm
{
    internal const int MR = 6;     // register tile rows
    internal const int NR = 16;    // register tile columns (two AVX vectors)
    private const int KC = 256;    // K block: a 6xKC A sliver and a KCx16 B sliver stay in L1
    private const int MC = 96;     // rows per packed A block (L2)
    private const int NC = 512;    // columns per packed B block (L2/L3)
    private const long ParallelThreshold = 1 << 18;   // below this many multiply-adds threads cost more than they save

    public static GemmPath BestPath =>
        Avx2.IsSupported && Fma.IsSupported ? GemmPath.Avx2Fma
        : System.Numerics.Vector.IsHardwareAccelerated ? GemmPath.Vector
        : GemmPath.Scalar;

    /// <summary>
    /// C[m,n] = A·B (or C += A·B when <paramref name="accumulate"/>). C is row-major with leading dimension <paramref name="ldc"/>.
    /// <paramref name="parallelism"/> 0 means all processors; the result does not depend on it.
    /// </summary>
    public static void Multiply(int m, int n, int k, MatrixView a, MatrixView b, float[] c, int cOffset, int ldc,
        bool accumulate = false, int parallelism = 0, GemmPath path = GemmPath.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentNullException.ThrowIfNull(c);
        if (m == 0 || n == 0) return;
        if (ldc < n) throw new ArgumentOutOfRangeException(nameof(ldc), ldc, $"leading dimension must be at least n = {n}");
        if (k == 0)
        {
            if (!accumulate) for (int i = 0; i < m; i++) Array.Clear(c, cOffset + i * ldc, n);
            return;
        }
        if (path == GemmPath.Auto) path = BestPath;
        if (path == GemmPath.Avx2Fma && !(Avx2.IsSupported && Fma.IsSupported))
            throw new PlatformNotSupportedException("GemmPath.Avx2Fma needs AVX2 and FMA");

        int threads = parallelism <= 0 ? Environment.ProcessorCount : parallelism;
        if ((long)m * n * k < ParallelThreshold) threads = 1;
        var job = new Job(m, n, k, a, b, c, cOffset, ldc, accumulate, path);
        int rowBlocks = (m + MC - 1) / MC;
        var packB = ArrayPool<float>.Shared.Rent((Math.Min(NC, n) + NR - 1) / NR * NR * KC);
        try
        {
            // BLIS loop order: each KCxNC panel of B is packed once and shared by every row block (it used to be packed
            // once per row block). Threads take row blocks, and column-strip ranges when there are few row blocks.
            for (int j0 = 0; j0 < n; j0 += NC)
            {
                int nc = Math.Min(NC, n - j0), nStrips = (nc + NR - 1) / NR;
                int colSplits = threads == 1 || rowBlocks >= 2 * threads ? 1 : Math.Min(nStrips, (2 * threads + rowBlocks - 1) / rowBlocks);
                int stripsPerTask = (nStrips + colSplits - 1) / colSplits, tasks = rowBlocks * colSplits;
                for (int p0 = 0; p0 < k; p0 += KC)
                {
                    var panel = new Panel(j0, nc, p0, Math.Min(KC, k - p0), packB);
                    PackB(b, panel);
                    if (threads == 1 || tasks == 1)
                    {
                        for (int t = 0; t < tasks; t++) RunTask(job, panel, t, colSplits, stripsPerTask, nStrips);
                    }
                    else
                    {
                        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = threads },
                            t => RunTask(job, panel, t, colSplits, stripsPerTask, nStrips));
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packB);
        }
    }

    private sealed record Job(int M, int N, int K, MatrixView A, MatrixView B, float[] C, int COffset, int Ldc, bool Accumulate, GemmPath Path);

    /// <summary>Columns [J0, J0+Nc) and K range [P0, P0+Kc) of B, packed into <see cref="Packed"/>.</summary>
    private sealed record Panel(int J0, int Nc, int P0, int Kc, float[] Packed);

    private static void RunTask(Job job, Panel panel, int task, int colSplits, int stripsPerTask, int nStrips)
    {
        int from = task % colSplits * stripsPerTask;
        RunBlock(job, panel, task / colSplits, from, Math.Min(nStrips, from + stripsPerTask));
    }

    // Output rows of one row block x column strips [jsFrom, jsTo) of the panel, for the panel's K range. Every output
    // gets the same arithmetic whichever task computes it: K blocks in order, each summed in the micro-kernel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunBlock(Job job, Panel panel, int rowBlock, int jsFrom, int jsTo)
    {
        if (jsFrom >= jsTo) return;
        int i0 = rowBlock * MC, mc = Math.Min(MC, job.M - i0), kc = panel.Kc;
        int mStrips = (mc + MR - 1) / MR;
        bool add = job.Accumulate || panel.P0 > 0;
        var packA = ArrayPool<float>.Shared.Rent(mStrips * MR * KC);
        try
        {
            fixed (float* pa = packA)
            fixed (float* pb = panel.Packed)
            fixed (float* pc = job.C)
            {
                float* tile = stackalloc float[MR * NR];
                PackA(job.A, i0, mc, panel.P0, kc, pa);
                for (int js = jsFrom; js < jsTo; js++)
                {
                    int cols = Math.Min(NR, panel.Nc - js * NR);
                    for (int ist = 0; ist < mStrips; ist++)
                    {
                        int rows = Math.Min(MR, mc - ist * MR);
                        float* cTile = pc + job.COffset + (long)(i0 + ist * MR) * job.Ldc + panel.J0 + js * NR;
                        float* aS = pa + ist * MR * kc, bS = pb + js * NR * kc;
                        if (rows == MR && cols == NR)
                        {
                            MicroKernel(job.Path, kc, aS, bS, cTile, job.Ldc, add);
                        }
                        else
                        {
                            // Edge tile: same arithmetic into a scratch tile, then merge the valid part.
                            MicroKernel(job.Path, kc, aS, bS, tile, NR, add: false);
                            for (int r = 0; r < rows; r++)
                                for (int q = 0; q < cols; q++)
                                    cTile[(long)r * job.Ldc + q] = add ? cTile[(long)r * job.Ldc + q] + tile[r * NR + q] : tile[r * NR + q];
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packA);
        }
    }

    // A block -> strips of MR rows, each laid out [k][MR], zero-padded past the last row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackA(MatrixView a, int i0, int mc, int p0, int kc, float* dst)
    {
        fixed (float* src = a.Data)
        {
            for (int s = 0; s < mc; s += MR)
            {
                int rows = Math.Min(MR, mc - s);
                float* d = dst + s * kc;
                for (int r = 0; r < MR; r++)
                {
                    if (r >= rows) { for (int p = 0; p < kc; p++) d[p * MR + r] = 0; continue; }
                    float* row = src + a.Offset + (long)(i0 + s + r) * a.RowStride + (long)p0 * a.ColStride;
                    for (int p = 0; p < kc; p++) d[p * MR + r] = row[(long)p * a.ColStride];
                }
            }
        }
    }

    // B panel -> strips of NR columns, each laid out [k][NR], zero-padded past the last column.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackB(MatrixView b, Panel panel)
    {
        int p0 = panel.P0, kc = panel.Kc, j0 = panel.J0, nc = panel.Nc;
        fixed (float* src = b.Data)
        fixed (float* dst = panel.Packed)
        {
            for (int s = 0; s < nc; s += NR)
            {
                int cols = Math.Min(NR, nc - s);
                float* d = dst + s * kc;
                for (int p = 0; p < kc; p++)
                {
                    float* row = src + b.Offset + (long)(p0 + p) * b.RowStride + (long)(j0 + s) * b.ColStride;
                    float* o = d + p * NR;
                    if (b.ColStride == 1 && cols == NR) { Buffer.MemoryCopy(row, o, NR * sizeof(float), NR * sizeof(float)); continue; }
                    int q = 0;
                    for (; q < cols; q++) o[q] = row[(long)q * b.ColStride];
                    for (; q < NR; q++) o[q] = 0;
                }
            }
        }
    }

    /// <summary>The plain definition: each output a double-precision dot product in K order, stored as float.</summary>
    public static void GemmReference(int m, int n, int k, MatrixView a, MatrixView b, float[] c, int cOffset, int ldc, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(c);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = accumulate ? c[cOffset + i * ldc + j] : 0;
                for (int p = 0; p < k; p++) s += (double)a[i, p] * b[p, j];
                c[cOffset + i * ldc + j] = (float)s;
            }
        }
    }
}
