// `conv-768`: the emulated ANE's 1x1 conv 768 -> 768 at S = 256, run as a user runs it (cli-contract.md, `orion bench`).
// Reference: a float64 double loop over the same fp16-rounded operands, within fp16 output rounding.
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Compiler;
using Orion.Engine.Graph;
using Orion.Engine.Tensors;

namespace Orion.Cli.Bench;

public sealed record ConvBenchSize(int Channels = 768, int Seq = 256)
{
    public static ConvBenchSize Default { get; } = new();

    /// <summary>Flops of one conv (a multiply-add counts 2).</summary>
    public double Flops => 2.0 * Channels * Channels * Seq;
}

/// <summary>
/// Measures <see cref="AneSession.Run()"/> with the input already written to its surface: one device Evaluate, i.e.
/// surface decode (fp16 -> fp32), fp16 rounding of the input, the conv kernel (GEMM), fp16 rounding and encoding of the
/// output. The per-element work outside the GEMM is O(C·S) against the GEMM's O(C²·S), a few percent at C = 768.
/// </summary>
public static class ConvBench
{
    public static BenchResult Run(BenchContext ctx) => Run(ctx, ConvBenchSize.Default, "conv-768");

    public static BenchResult Run(BenchContext ctx, ConvBenchSize size, string name)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(size);
        int c = size.Channels, s = size.Seq;
        var w = BenchData.Uniform(c * c, 11, 1f / MathF.Sqrt(c));
        var x = BenchData.Uniform(c * s, 12, 1f);
        var b = new GraphBuilder("conv");
        var xin = b.Input("x", c, s);
        b.Output("y", b.Conv(xin, b.Const("w", new Shape(c, c, 1, 1), w)));
        var compiled = OrionCompiler.Compile(b.Graph);

        using var device = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(10) });
        var program = device.Compile(compiled.ToSource());
        device.Load(program);
        using var session = new AneSession(device, program);
        session.SetInput("x", x);
        var result = ctx.Runner.Run(name,
            check: () =>
            {
                session.Run();
                Check(session.GetOutput("y"), w, x, c, s);
            },
            measured: () => session.Run());
        result = result.WithRatePerRun(size.Flops, 1e9, "GFLOP/s");
        return result.Rate is { } gflops ? result.WithPeakFraction(gflops, ctx.Limits) : result;
    }

    // y[o, j] = sum_i W[o, i] x[i, j] over fp16-rounded W and x, in float64. The emulator accumulates in fp32 and rounds
    // the result to fp16: allowed error = half an fp16 ulp of the result (2^-11 relative) + fp32 accumulation error
    // (K·2^-24 of sum |W||x|, a loose bound), + the fp16 subnormal step.
    private static void Check(float[] y, float[] w, float[] x, int c, int s)
    {
        if (y.Length != c * s) throw new InvalidOperationException($"conv gave {y.Length} values, expected {c * s}");
        var wr = w.Select(Fp16.Round).ToArray();
        var xr = x.Select(Fp16.Round).ToArray();
        var sum = new double[s];
        var abs = new double[s];
        for (int o = 0; o < c; o++)
        {
            Array.Clear(sum);
            Array.Clear(abs);
            for (int i = 0; i < c; i++)
            {
                double wv = wr[o * c + i];
                int row = i * s;
                for (int j = 0; j < s; j++)
                {
                    double p = wv * xr[row + j];
                    sum[j] += p;
                    abs[j] += Math.Abs(p);
                }
            }
            for (int j = 0; j < s; j++)
            {
                double got = y[o * s + j], want = sum[j];
                double tol = Math.Abs(want) * Math.Pow(2, -11) + abs[j] * c * Math.Pow(2, -24) + Math.Pow(2, -24);
                if (!(Math.Abs(got - want) <= tol))
                    throw new InvalidOperationException($"conv y[{o}, {j}] = {got:R}, float64 reference {want:R} (tolerance {tol:G3}; {c}x{c}, S = {s})");
            }
        }
    }
}
