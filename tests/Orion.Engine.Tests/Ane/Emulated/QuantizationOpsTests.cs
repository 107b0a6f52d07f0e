// int8 quantization ops against float64 references: quantize/dequantize round trip, per-axis scales, constexpr from a blob.
using System.Runtime.InteropServices;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.IO;
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;
using Xunit;
using static Orion.Engine.Tests.TestSupport.MilBuilder;
using static Orion.Engine.Tests.TestSupport.Numerics;

namespace Orion.Engine.Tests.Ane.Emulated;

public class QuantizationOpsTests
{
    [Fact]
    public void QuantizeDequantize_PerAxis_RoundTripsWithinHalfAStep()
    {
        var x = RandomFp16(3 * 8, 31, -2, 2);
        double[] scales = [0.02, 0.015, 0.03];
        double[] zeros = [0, 3, -5];
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp16, 1, 3, 1, 8)
            .Const("s", Tensor(DType.Fp16, [3], scales)).Const("z", Tensor(DType.Int8, [3], zeros))
            .Op("q", T(DType.Int8, 1, 3, 1, 8), "quantize", ("input", "x"), ("zero_point", "z"), ("scale", "s"), ("axis", 1), ("output_dtype", Str("int8")))
            .Op("d", F16(1, 3, 1, 8), "dequantize", ("input", "q"), ("zero_point", "z"), ("scale", "s"), ("axis", -3)).Build("q", "d");
        var r = Run(fn, x);
        var qExpected = new double[x.Length];
        var dExpected = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int c = i / 8;
            double s = Fp16.Round((float)scales[c]);
            qExpected[i] = Math.Clamp(Math.Round(x[i] / s, MidpointRounding.ToEven) + zeros[c], -128, 127);
            dExpected[i] = (qExpected[i] - zeros[c]) * s;
            Assert.True(Math.Abs(dExpected[i] - x[i]) <= s / 2 + 1e-3 || qExpected[i] is -128 or 127);
        }
        AssertClose(qExpected, r[0], 0);
        AssertClose(dExpected, r[1]);
    }

    [Fact]
    public void Quantize_Uint8_ClampsToRange()
    {
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp32, 4)
            .Op("q", T(DType.UInt8, 4), "quantize", ("input", "x"), ("zero_point", MilLiteral.Int32(0) with { Type = MilType.Scalar(DType.UInt8) }),
                ("scale", MilLiteral.Fp32(0.5)), ("output_dtype", Str("uint8"))).Build("q");
        Assert.Equal([0f, 2f, 200f, 255f], Run(fn, [-3f, 1.25f, 100f, 1000f])[0]);
    }

    [Fact]
    public void ConstexprAffineDequantize_FromBlob_BakesAtBindWeights()
    {
        sbyte[] q = [-128, -1, 0, 1, 127, 5];
        var (file, entries) = BlobFile.Write([(DType.Int8, MemoryMarshal.AsBytes(q.AsSpan()).ToArray())]);
        const string path = "@model_path/weights/q.bin";
        var fn = new TestSupport.MilBuilder().Input("x", DType.Fp16, 2, 3)
            .AttrOp("w", F16(2, 3), "constexpr_affine_dequantize",
                ("quantized_data", new MilBlobFile(T(DType.Int8, 2, 3), path, entries[0].MetadataOffset)),
                ("zero_point", Tensor(DType.Int8, [2], [0, 1])), ("scale", Tensor(DType.Fp16, [2], [0.5, 0.25])), ("axis", 0))
            .Op("y", F16(2, 3), "add", ("x", "x"), ("y", "w")).Build("y");
        var plan = ExecutionPlan.Build(fn, ChipProfile.Default);
        Assert.Equal([path], plan.WeightPaths);
        plan.BindWeights(new Dictionary<string, byte[]> { [path] = file });
        var r = plan.Execute([new float[6]], null)[0];
        AssertClose([-64, -0.5, 0, 0, 31.5, 1], r, 0);
    }
}
