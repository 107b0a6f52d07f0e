// The 6x16 register-tile kernels of Gemm: C[6,16] (+)= Apanel[6,kc]·Bpanel[kc,16] over packed panels; one per capability.
// Each accumulates its K-sliver in registers, then adds once to C, so every path keeps a fixed per-output summation order.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Orion.Engine.Kernels;

public static partial class Gemm
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void MicroKernel(GemmPath path, int kc, float* a, float* b, float* c, int ldc, bool add)
    {
        switch (path)
        {
            case GemmPath.Avx2Fma: Kernel6x16Avx2(kc, a, b, c, ldc, add); break;
            case GemmPath.Vector: Kernel6x16Vector(kc, a, b, c, ldc, add); break;
            default: Kernel6x16Scalar(kc, a, b, c, ldc, add); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel6x16Avx2(int kc, float* a, float* b, float* c, int ldc, bool add)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.LoadVector256(b + 8);
            var av = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(av, b0, c00); c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(av, b0, c10); c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(av, b0, c20); c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Avx.BroadcastScalarToVector256(a + 3);
            c30 = Fma.MultiplyAdd(av, b0, c30); c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Avx.BroadcastScalarToVector256(a + 4);
            c40 = Fma.MultiplyAdd(av, b0, c40); c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Avx.BroadcastScalarToVector256(a + 5);
            c50 = Fma.MultiplyAdd(av, b0, c50); c51 = Fma.MultiplyAdd(av, b1, c51);
            a += MR;
            b += NR;
        }
        StoreRow(c, c00, c01, add); c += ldc;
        StoreRow(c, c10, c11, add); c += ldc;
        StoreRow(c, c20, c21, add); c += ldc;
        StoreRow(c, c30, c31, add); c += ldc;
        StoreRow(c, c40, c41, add); c += ldc;
        StoreRow(c, c50, c51, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(float* c, Vector256<float> lo, Vector256<float> hi, bool add)
    {
        if (add)
        {
            lo = Avx.Add(Avx.LoadVector256(c), lo);
            hi = Avx.Add(Avx.LoadVector256(c + 8), hi);
        }
        Avx.Store(c, lo);
        Avx.Store(c + 8, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel6x16Vector(int kc, float* a, float* b, float* c, int ldc, bool add)
    {
        int w = Vector<float>.Count;
        if (NR % w != 0) { Kernel6x16Scalar(kc, a, b, c, ldc, add); return; }
        int perRow = NR / w;
        var acc = stackalloc Vector<float>[MR * perRow];
        for (int i = 0; i < MR * perRow; i++) acc[i] = Vector<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            for (int r = 0; r < MR; r++)
            {
                var av = new Vector<float>(a[r]);
                for (int v = 0; v < perRow; v++)
                    acc[r * perRow + v] += av * Unsafe.ReadUnaligned<Vector<float>>(b + v * w);
            }
            a += MR;
            b += NR;
        }
        for (int r = 0; r < MR; r++)
        {
            for (int v = 0; v < perRow; v++)
            {
                float* dst = c + (long)r * ldc + v * w;
                var x = acc[r * perRow + v];
                if (add) x += Unsafe.ReadUnaligned<Vector<float>>(dst);
                Unsafe.WriteUnaligned(dst, x);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel6x16Scalar(int kc, float* a, float* b, float* c, int ldc, bool add)
    {
        var acc = stackalloc float[MR * NR];
        for (int i = 0; i < MR * NR; i++) acc[i] = 0;
        for (int p = 0; p < kc; p++)
        {
            for (int r = 0; r < MR; r++)
            {
                float av = a[r];
                for (int q = 0; q < NR; q++) acc[r * NR + q] += av * b[q];
            }
            a += MR;
            b += NR;
        }
        for (int r = 0; r < MR; r++)
            for (int q = 0; q < NR; q++)
                c[(long)r * ldc + q] = add ? c[(long)r * ldc + q] + acc[r * NR + q] : acc[r * NR + q];
    }
}
