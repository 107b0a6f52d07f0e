// int8/uint8 quantization (coremltools quantization_ops iOS17 quantize/dequantize, constexpr_ops iOS16
// constexpr_affine_dequantize): q = clamp(round_half_even(x/scale) + zp), x = (q - zp)*scale; scale/zp scalar or per axis.
using Orion.Engine.Kernels;
using Orion.Engine.Tensors;

namespace Orion.Engine.Ane.Emulated.Ops;

internal static class QuantizationOps
{
    public static void Quantize(PlanBuilder b)
    {
        b.Allow("input", "zero_point", "scale", "axis", "output_dtype");
        var x = b.Input("input");
        b.RequireFloat(x, "input");
        var name = b.String("output_dtype", "");
        if (name is not ("int8" or "uint8")) b.Fail($"output_dtype '{name}' is not int8 or uint8");
        var to = name == "int8" ? DType.Int8 : DType.UInt8;
        var p = Params(b, x);
        var o = b.Output(to, x.Dims);
        float lo = to == DType.Int8 ? -128 : 0, hi = to == DType.Int8 ? 127 : 255;
        float[] src = x.Data, dst = o.Data;
        b.Step(o, p.Inputs(x), () =>
        {
            for (int i = 0; i < src.Length; i++)
            {
                int c = p.Channel(i);
                dst[i] = Math.Clamp(MathF.Round(src[i] / p.Scale.Data[c]) + p.ZeroPoint(c), lo, hi);
            }
        });
    }

    public static void Dequantize(PlanBuilder b)
    {
        b.Allow("input", "zero_point", "scale", "axis");
        var q = b.Input("input");
        if (q.DType is not (DType.Int8 or DType.UInt8)) b.Fail($"input is {q}, expected int8 or uint8");
        var p = Params(b, q);
        var o = b.Output(p.Scale.DType, q.Dims);
        b.Step(o, p.Inputs(q), () => Affine(q.Data, p, o.Data));
    }

    // Operands sit in the attribute brackets; evaluated at Build, or at BindWeights when any comes from a BLOBFILE.
    public static void ConstexprAffineDequantize(PlanBuilder b)
    {
        b.Allow("quantized_data", "zero_point", "scale", "axis");
        var q = b.Input("quantized_data");
        if (q.DType is not (DType.Int8 or DType.UInt8)) b.Fail($"quantized_data is {q}, expected int8 or uint8");
        var p = Params(b, q);
        var inputs = p.Inputs(q);
        if (inputs.Any(t => !t.IsConstant)) b.Fail("constexpr operands must be constants", "use literals, const ops or BLOBFILE values");
        var o = b.Output(p.Scale.DType, q.Dims, constant: true);
        void Bake()
        {
            Affine(q.Data, p, o.Data);
            if (o.DType == DType.Fp16) Fp16Convert.RoundInPlace(o.Data);
        }
        if (inputs.All(t => t.Literal is not null)) Bake();
        else b.Bakes.Add(Bake);
    }

    private static void Affine(float[] q, AffineParams p, float[] dst)
    {
        for (int i = 0; i < q.Length; i++)
        {
            int c = p.Channel(i);
            dst[i] = (q[i] - p.ZeroPoint(c)) * p.Scale.Data[c];
        }
    }

    private sealed record AffineParams(PlanTensor Scale, PlanTensor? Zero, int Inner, int Channels)
    {
        public int Channel(int flat) => Channels == 1 ? 0 : flat / Inner % Channels;
        public float ZeroPoint(int c) => Zero is null ? 0f : Zero.Data[Zero.Count == 1 ? 0 : c];
        public PlanTensor[] Inputs(PlanTensor data) => Zero is null ? [data, Scale] : [data, Scale, Zero];
    }

    // scale (fp16/fp32) and zero_point (int8/uint8) are scalars or 1-D along axis.
    private static AffineParams Params(PlanBuilder b, PlanTensor data)
    {
        var scale = b.Input("scale");
        b.RequireFloat(scale, "scale");
        var zero = b.OptionalInput("zero_point");
        if (zero is not null && zero.DType is not (DType.Int8 or DType.UInt8))
            b.Fail($"zero_point is {zero}, expected int8 or uint8");
        int channels = Math.Max(scale.Count, zero?.Count ?? 1);
        if (scale.Rank > 1 || (zero?.Rank ?? 0) > 1 || (scale.Count != 1 && scale.Count != channels))
            b.Fail($"scale {scale} and zero_point {zero?.ToString() ?? "(none)"} must be scalars or 1-D of one length");
        if (channels == 1) return new AffineParams(scale, zero, 1, 1);
        if (scale.Count != channels) b.Fail($"per-axis zero_point {zero} needs a per-axis scale, got {scale}");
        var axisLiteral = b.OptionalLiteral("axis") ?? throw b.Error("per-axis scale needs an axis operand");
        int axis = b.Axis(checked((int)axisLiteral.AsInt()), data.Rank);
        if (data.Dims[axis] != channels)
            b.Fail($"scale has {channels} entries but axis {axis} of {data} has {data.Dims[axis]}");
        return new AffineParams(scale, zero, PlanTensor.ElementCount(data.Dims.AsSpan(axis + 1)), channels);
    }
}
