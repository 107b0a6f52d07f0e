// Bulk fp16 <-> fp32 conversion with the ANE's conventions (round to nearest even, saturate to +/-65504; ane-reference.md section 6).
// .NET 10 has no F16C intrinsics, so the AVX2 path works on the bits; the scalar twins defer to Tensors.Fp16, the definition.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Orion.Engine.Tensors;

namespace Orion.Engine.Kernels;

public static class Fp16Convert
{
    private const int MinNormalBits = 0x38800000;   // 2^-14 as fp32 bits: below it fp16 is subnormal (step 2^-24)
    private const int MaxHalfBits = 0x477FE000;     // 65504 as fp32 bits
    private const int InfBits = 0x7F800000;

    /// <summary>fp16 bits to fp32 values (exact).</summary>
    public static unsafe void ToSingle(ReadOnlySpan<ushort> src, Span<float> dst)
    {
        if (dst.Length < src.Length) throw new ArgumentException($"destination holds {dst.Length} values, source has {src.Length}", nameof(dst));
        int i = 0;
        if (Avx2.IsSupported)
        {
            fixed (ushort* s = src)
            fixed (float* d = dst)
            {
                for (; i <= src.Length - 8; i += 8)
                    Avx.Store(d + i, ToSingle8(Avx2.ConvertToVector256Int32(s + i)));
            }
        }
        for (; i < src.Length; i++) dst[i] = Fp16.ToSingle(src[i]);
    }

    /// <summary>fp32 values to fp16 bits: nearest even, saturating to +/-65504 (infinities too), NaN to 0x7E00.</summary>
    public static unsafe void FromSingle(ReadOnlySpan<float> src, Span<ushort> dst)
    {
        if (dst.Length < src.Length) throw new ArgumentException($"destination holds {dst.Length} values, source has {src.Length}", nameof(dst));
        int i = 0;
        if (Avx2.IsSupported)
        {
            fixed (float* s = src)
            fixed (ushort* d = dst)
            {
                for (; i <= src.Length - 8; i += 8)
                {
                    var h = FromSingle8(Avx.LoadVector256(s + i));
                    Sse2.Store(d + i, Sse41.PackUnsignedSaturate(h.GetLower(), h.GetUpper()));
                }
            }
        }
        for (; i < src.Length; i++) dst[i] = Fp16.FromSingle(src[i]);
    }

    /// <summary>Replaces each value by the nearest fp16 value (ties to even), clamped to +/-65504; NaN stays NaN.</summary>
    public static unsafe void RoundInPlace(Span<float> values)
    {
        int i = 0;
        if (Avx2.IsSupported)
        {
            fixed (float* p = values)
            {
                for (; i <= values.Length - 8; i += 8)
                    Avx.Store(p + i, Round8(Avx.LoadVector256(p + i)));
            }
        }
        for (; i < values.Length; i++) values[i] = Fp16.Round(values[i]);
    }

    // Scalar reference twins: the definition the SIMD paths are tested against.
    public static void ToSingleReference(ReadOnlySpan<ushort> src, Span<float> dst)
    {
        for (int i = 0; i < src.Length; i++) dst[i] = Fp16.ToSingle(src[i]);
    }

    public static void FromSingleReference(ReadOnlySpan<float> src, Span<ushort> dst)
    {
        for (int i = 0; i < src.Length; i++) dst[i] = Fp16.FromSingle(src[i]);
    }

    public static void RoundInPlaceReference(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = Fp16.Round(values[i]);
    }

    // h: eight fp16 bit patterns zero-extended to int32.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ToSingle8(Vector256<int> h)
    {
        var sign = Avx2.ShiftLeftLogical(Avx2.And(h, Vector256.Create(0x8000)), 16);
        var abs = Avx2.And(h, Vector256.Create(0x7FFF));
        var exp = Avx2.And(h, Vector256.Create(0x7C00));
        // Normal: rebias the exponent (15 -> 127); inf/NaN (exponent 31): rebias to 255.
        var isInfNan = Avx2.CompareEqual(exp, Vector256.Create(0x7C00));
        var bias = Avx2.BlendVariable(Vector256.Create(0x38000000), Vector256.Create(0x70000000), isInfNan);
        var normal = Avx2.Add(Avx2.ShiftLeftLogical(abs, 13), bias);
        // Subnormal and zero: mantissa * 2^-24, exact in fp32.
        var sub = Avx.Multiply(Avx.ConvertToVector256Single(abs), Vector256.Create(1f / 16777216f)).AsInt32();
        var isSub = Avx2.CompareEqual(exp, Vector256<int>.Zero);
        return Avx2.Or(Avx2.BlendVariable(normal, sub, isSub), sign).AsSingle();
    }

    // Rounds to fp16 precision and clamps; returns fp32 values (NaN lanes unchanged).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Round8(Vector256<float> x)
    {
        var bits = x.AsInt32();
        var sign = Avx2.And(bits, Vector256.Create(int.MinValue));
        var abs = Avx2.And(bits, Vector256.Create(int.MaxValue));
        // Normal range: round the 23-bit mantissa to 10 bits, ties to even, then saturate (also catches inf).
        var lsb = Avx2.And(Avx2.ShiftRightLogical(abs, 13), Vector256.Create(1));
        var normal = Avx2.And(Avx2.Add(abs, Avx2.Add(Vector256.Create(0xFFF), lsb)), Vector256.Create(~0x1FFF));
        normal = Avx2.Min(normal, Vector256.Create(MaxHalfBits));
        // Subnormal range: adding 0.5 leaves an fp32 ulp of 2^-24, so the FPU rounds to the fp16 subnormal grid (ties to even).
        var half = Vector256.Create(0.5f);
        var sub = Avx.Subtract(Avx.Add(abs.AsSingle(), half), half).AsInt32();
        var r = Avx2.BlendVariable(normal, sub, Avx2.CompareGreaterThan(Vector256.Create(MinNormalBits), abs));
        r = Avx2.Or(r, sign);
        var isNaN = Avx2.CompareGreaterThan(abs, Vector256.Create(InfBits));
        return Avx2.BlendVariable(r, bits, isNaN).AsSingle();
    }

    // Returns eight fp16 bit patterns in int32 lanes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> FromSingle8(Vector256<float> x)
    {
        var bits = x.AsInt32();
        var abs = Avx2.And(bits, Vector256.Create(int.MaxValue));
        var isNaN = Avx2.CompareGreaterThan(abs, Vector256.Create(InfBits));
        var r = Avx2.And(Round8(x).AsInt32(), Vector256.Create(int.MaxValue));
        var normal = Avx2.ShiftRightLogical(Avx2.Subtract(r, Vector256.Create(0x38000000)), 13);
        var sub = Avx.ConvertToVector256Int32WithTruncation(Avx.Multiply(r.AsSingle(), Vector256.Create(16777216f)));
        var h = Avx2.BlendVariable(normal, sub, Avx2.CompareGreaterThan(Vector256.Create(MinNormalBits), r));
        h = Avx2.Or(h, Avx2.ShiftRightLogical(Avx2.And(bits, Vector256.Create(int.MinValue)), 16));
        return Avx2.BlendVariable(h, Vector256.Create(0x7E00), isNaN);
    }
}
