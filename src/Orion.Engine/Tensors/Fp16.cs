// fp16 helpers with the ANE's numeric conventions: round-to-nearest-even, clamp to +/-65504 (ane-reference.md section 6).
namespace Orion.Engine.Tensors;

/// <summary>
/// Scalar fp16 conversions. The bulk span versions live in <see cref="Kernels.Fp16Convert"/>
/// (SIMD with a scalar reference twin); these are the definition they are tested against.
/// </summary>
public static class Fp16
{
    public const float Max = 65504f;

    /// <summary>fp32 -> fp16 bits, round to nearest even, saturating to +/-65504 (the ANE clamps; NaN stays NaN).</summary>
    public static ushort FromSingle(float v)
    {
        if (float.IsNaN(v)) return 0x7E00;
        if (v > Max) v = Max;
        else if (v < -Max) v = -Max;
        return BitConverter.HalfToUInt16Bits((Half)v);
    }

    public static float ToSingle(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>The value an fp16 op boundary leaves: round to fp16 precision and clamp.</summary>
    public static float Round(float v) => ToSingle(FromSingle(v));
}
