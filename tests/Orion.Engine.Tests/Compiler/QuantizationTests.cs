// int8 quantize/dequantize through the compiler and the emulator, against the affine definition.
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Compiler;
using Orion.Engine.Graph;
using Orion.Engine.Tensors;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.Compiler;

public sealed class QuantizationTests
{
    [Fact]
    public void QuantizeDequantize_RoundTrip_MatchesAffineDefinition()
    {
        const int C = 64, S = 32;
        const float scale = 0.05f, zp = 3f;
        var b = new GraphBuilder("q8");
        var x = b.Input("x", C, S);
        b.Output("y", b.Dequantize(b.Quantize(x, scale, zp), scale, zp));
        var p = OrionCompiler.Compile(b.Graph);
        Assert.Contains("quantize(", p.MilText, StringComparison.Ordinal);
        using var d = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(2) });
        var prog = d.Compile(p.ToSource());
        d.Load(prog);
        using var s = new AneSession(d, prog);
        var input = Ref.Random(C * S, 1, 8f); // beyond the int8 range after scaling: exercises clamping
        var y = s.Run(new Dictionary<string, float[]> { ["x"] = input })["y"];
        var expected = input.Select(v =>
        {
            double q = Math.Clamp(Math.Round(v / (double)Fp16.Round(scale), MidpointRounding.ToEven) + zp, -128, 127);
            return (q - zp) * Fp16.Round(scale);
        }).ToList();
        Ref.Close(expected, y, 2e-3, Fp16.Round(scale) * 0.51);
    }
}
