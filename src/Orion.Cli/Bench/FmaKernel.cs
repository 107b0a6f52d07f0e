// FMA throughput kernel for the machine's fp32 peak: many independent accumulator chains so FMA latency is hidden.
// Capability dispatch AVX2+FMA (Vector256) -> AdvSimd (Vector128) -> Vector<float> multiply+add, with a scalar reference twin.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Orion.Cli.Bench;

/// <summary>
/// Each iteration updates 12 chains x = x * A + B (A just under 1, so values stay normal and bounded). Twelve
/// chains cover 2 FMA ports x 4-5 cycles latency on x86; on Apple cores (4 ports x 4 cycles) 12 reaches 3/4 at worst.
/// </summary>
public static class FmaKernel
{
    public const int Chains = 12;
    private const float A = 0.99999994f;
    private const float B = 1e-7f;

    /// <summary>Which path <see cref="Run"/> takes on this machine.</summary>
    public static string Path => Fma.IsSupported ? "avx2-fma" : AdvSimd.IsSupported ? "neon-fma" : $"vector{Vector<float>.Count * 32}-mul-add";

    /// <summary>Lanes per chain on the chosen path.</summary>
    public static int Lanes => Fma.IsSupported ? Vector256<float>.Count : AdvSimd.IsSupported ? Vector128<float>.Count : Vector<float>.Count;

    /// <summary>Floating-point operations per iteration (an FMA counts 2).</summary>
    public static double FlopsPerIteration => 2.0 * Chains * Lanes;

    /// <summary>True when the path rounds once per update (a fused multiply-add); the reference follows suit.</summary>
    public static bool Fused => Fma.IsSupported || AdvSimd.IsSupported;

    /// <summary>Runs <paramref name="iterations"/> updates; returns the sum over chains of lane 0 (keeps the work alive).</summary>
    public static float Run(long iterations)
    {
        if (Fma.IsSupported) return RunAvx(iterations);
        if (AdvSimd.IsSupported) return RunNeon(iterations);
        return RunVector(iterations);
    }

    /// <summary>Scalar twin of <see cref="Run"/>: the same chains, the same rounding, the same summation order.</summary>
    public static float Reference(long iterations)
    {
        float sum = 0;
        for (int c = 0; c < Chains; c++)
        {
            float x = Seed(c);
            for (long i = 0; i < iterations; i++) x = Fused ? MathF.FusedMultiplyAdd(x, A, B) : x * A + B;
            sum += x;
        }
        return sum;
    }

    private static float Seed(int chain) => 1f + chain * 0.125f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float RunAvx(long n)
    {
        Vector256<float> a = Vector256.Create(A), b = Vector256.Create(B);
        Vector256<float> c0 = Vector256.Create(Seed(0)), c1 = Vector256.Create(Seed(1)), c2 = Vector256.Create(Seed(2)),
            c3 = Vector256.Create(Seed(3)), c4 = Vector256.Create(Seed(4)), c5 = Vector256.Create(Seed(5)),
            c6 = Vector256.Create(Seed(6)), c7 = Vector256.Create(Seed(7)), c8 = Vector256.Create(Seed(8)),
            c9 = Vector256.Create(Seed(9)), c10 = Vector256.Create(Seed(10)), c11 = Vector256.Create(Seed(11));
        for (long i = 0; i < n; i++)
        {
            c0 = Fma.MultiplyAdd(c0, a, b); c1 = Fma.MultiplyAdd(c1, a, b); c2 = Fma.MultiplyAdd(c2, a, b);
            c3 = Fma.MultiplyAdd(c3, a, b); c4 = Fma.MultiplyAdd(c4, a, b); c5 = Fma.MultiplyAdd(c5, a, b);
            c6 = Fma.MultiplyAdd(c6, a, b); c7 = Fma.MultiplyAdd(c7, a, b); c8 = Fma.MultiplyAdd(c8, a, b);
            c9 = Fma.MultiplyAdd(c9, a, b); c10 = Fma.MultiplyAdd(c10, a, b); c11 = Fma.MultiplyAdd(c11, a, b);
        }
        return c0[0] + c1[0] + c2[0] + c3[0] + c4[0] + c5[0] + c6[0] + c7[0] + c8[0] + c9[0] + c10[0] + c11[0];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float RunNeon(long n)
    {
        Vector128<float> a = Vector128.Create(A), b = Vector128.Create(B);
        Vector128<float> c0 = Vector128.Create(Seed(0)), c1 = Vector128.Create(Seed(1)), c2 = Vector128.Create(Seed(2)),
            c3 = Vector128.Create(Seed(3)), c4 = Vector128.Create(Seed(4)), c5 = Vector128.Create(Seed(5)),
            c6 = Vector128.Create(Seed(6)), c7 = Vector128.Create(Seed(7)), c8 = Vector128.Create(Seed(8)),
            c9 = Vector128.Create(Seed(9)), c10 = Vector128.Create(Seed(10)), c11 = Vector128.Create(Seed(11));
        for (long i = 0; i < n; i++)
        {
            // AdvSimd.FusedMultiplyAdd(addend, left, right) = addend + left * right.
            c0 = AdvSimd.FusedMultiplyAdd(b, c0, a); c1 = AdvSimd.FusedMultiplyAdd(b, c1, a); c2 = AdvSimd.FusedMultiplyAdd(b, c2, a);
            c3 = AdvSimd.FusedMultiplyAdd(b, c3, a); c4 = AdvSimd.FusedMultiplyAdd(b, c4, a); c5 = AdvSimd.FusedMultiplyAdd(b, c5, a);
            c6 = AdvSimd.FusedMultiplyAdd(b, c6, a); c7 = AdvSimd.FusedMultiplyAdd(b, c7, a); c8 = AdvSimd.FusedMultiplyAdd(b, c8, a);
            c9 = AdvSimd.FusedMultiplyAdd(b, c9, a); c10 = AdvSimd.FusedMultiplyAdd(b, c10, a); c11 = AdvSimd.FusedMultiplyAdd(b, c11, a);
        }
        return c0[0] + c1[0] + c2[0] + c3[0] + c4[0] + c5[0] + c6[0] + c7[0] + c8[0] + c9[0] + c10[0] + c11[0];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float RunVector(long n)
    {
        Vector<float> a = new(A), b = new(B);
        Vector<float> c0 = new(Seed(0)), c1 = new(Seed(1)), c2 = new(Seed(2)), c3 = new(Seed(3)), c4 = new(Seed(4)), c5 = new(Seed(5)),
            c6 = new(Seed(6)), c7 = new(Seed(7)), c8 = new(Seed(8)), c9 = new(Seed(9)), c10 = new(Seed(10)), c11 = new(Seed(11));
        for (long i = 0; i < n; i++)
        {
            c0 = c0 * a + b; c1 = c1 * a + b; c2 = c2 * a + b; c3 = c3 * a + b; c4 = c4 * a + b; c5 = c5 * a + b;
            c6 = c6 * a + b; c7 = c7 * a + b; c8 = c8 * a + b; c9 = c9 * a + b; c10 = c10 * a + b; c11 = c11 * a + b;
        }
        return c0[0] + c1[0] + c2[0] + c3[0] + c4[0] + c5[0] + c6[0] + c7[0] + c8[0] + c9[0] + c10[0] + c11[0];
    }
}
