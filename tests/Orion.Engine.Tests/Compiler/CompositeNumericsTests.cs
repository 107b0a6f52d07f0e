// Composite programs end to end — graph -> five passes -> MIL text -> emulated ANE — against float64 references.
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Compiler;
using Orion.Engine.Programs;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.Compiler;

public sealed class CompositeNumericsTests
{
    private const int C = 64, S = 64;

    /// <summary>Compiles a composite, runs it on x, and returns (output, the graph's constants as built).</summary>
    private static (float[] Y, Dictionary<string, float[]> W) Run(string name, float[] x)
    {
        var graph = CompositePrograms.Build(name, 7, C, S);
        var consts = graph.Nodes.Where(n => n.IsConst).ToDictionary(n => n.Name, n => n.Data!);
        var program = OrionCompiler.Compile(graph);
        using var d = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(5) });
        var p = d.Compile(program.ToSource());
        d.Load(p);
        using var s = new AneSession(d, p);
        return (s.Run(new Dictionary<string, float[]> { ["x"] = x })["y"], consts);
    }

    private static double At(double[] a, int c, int s) => a[c * S + s];

    [Fact]
    public void LayerNorm_MatchesFloat64()
    {
        var x = Ref.Random(C * S, 1, 2f);
        var (y, w) = Run("layernorm", x);
        var expected = new double[C * S];
        for (int s = 0; s < S; s++)
        {
            double mean = 0, v = 0;
            for (int c = 0; c < C; c++) mean += x[c * S + s];
            mean /= C;
            for (int c = 0; c < C; c++) v += Math.Pow(x[c * S + s] - mean, 2);
            v /= C;
            for (int c = 0; c < C; c++) expected[c * S + s] = (x[c * S + s] - mean) / Math.Sqrt(v + 1e-5) * w["gamma"][c] + w["beta"][c];
        }
        Ref.Close(expected, y, 1e-2, 1e-2);
    }

    [Fact]
    public void RmsNorm_MatchesFloat64()
    {
        var x = Ref.Random(C * S, 2, 2f);
        var (y, w) = Run("rmsnorm", x);
        var expected = new double[C * S];
        for (int s = 0; s < S; s++)
        {
            double ms = 0;
            for (int c = 0; c < C; c++) ms += (double)x[c * S + s] * x[c * S + s];
            ms /= C;
            for (int c = 0; c < C; c++) expected[c * S + s] = x[c * S + s] / Math.Sqrt(ms + 1e-5) * w["gamma"][c];
        }
        Ref.Close(expected, y, 1e-2, 1e-2);
    }

    private static double Gelu(double v) => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));

    [Fact]
    public void GeluFfn_MatchesFloat64()
    {
        var x = Ref.Random(C * S, 3);
        var (y, w) = Run("gelu-ffn", x);
        int h = w["b1"].Length;
        var hid = Ref.Linear(w["w1"], Ref.D(x), h, C, S);
        for (int i = 0; i < hid.Length; i++) hid[i] = Gelu(hid[i] + w["b1"][i / S]);
        var expected = Ref.Linear(w["w2"], hid, C, h, S);
        for (int i = 0; i < expected.Length; i++) expected[i] += w["b2"][i / S];
        Ref.Close(expected, y, 2e-2, 1e-2);
    }

    [Fact]
    public void SwiGluFfn_MatchesFloat64()
    {
        var x = Ref.Random(C * S, 4);
        var (y, w) = Run("swiglu-ffn", x);
        int h = w["w1"].Length / C;
        var a = Ref.Linear(w["w1"], Ref.D(x), h, C, S);
        var u = Ref.Linear(w["w3"], Ref.D(x), h, C, S);
        var hid = a.Select((v, i) => v / (1 + Math.Exp(-v)) * u[i]).ToArray();
        Ref.Close(Ref.Linear(w["w2"], hid, C, h, S), y, 2e-2, 1e-2);
    }

    [Fact]
    public void CausalAttention_MatchesFloat64()
    {
        var x = Ref.Random(C * S, 5);
        var (y, w) = Run("attention", x);
        int heads = CompositePrograms.Heads, dh = C / heads;
        var q = Ref.Linear(w["wq"], Ref.D(x), C, C, S);
        var k = Ref.Linear(w["wk"], Ref.D(x), C, C, S);
        var v = Ref.Linear(w["wv"], Ref.D(x), C, C, S);
        var o = new double[C * S];
        for (int hh = 0; hh < heads; hh++)
            for (int i = 0; i < S; i++)
            {
                var p = new double[i + 1];
                for (int j = 0; j <= i; j++)
                {
                    double dot = 0;
                    for (int d = 0; d < dh; d++) dot += At(q, hh * dh + d, i) * At(k, hh * dh + d, j);
                    p[j] = dot / Math.Sqrt(dh);
                }
                double max = p.Max(), sum = 0;
                for (int j = 0; j <= i; j++) sum += p[j] = Math.Exp(p[j] - max);
                for (int d = 0; d < dh; d++)
                {
                    double acc = 0;
                    for (int j = 0; j <= i; j++) acc += p[j] / sum * At(v, hh * dh + d, j);
                    o[(hh * dh + d) * S + i] = acc;
                }
            }
        Ref.Close(Ref.Linear(w["wo"], o, C, C, S), y, 2e-2, 1e-2);
    }

    [Fact]
    public void Attention_FutureTokensChange_PastOutputsUnchanged()
    {
        var x = Ref.Random(C * S, 6);
        var x2 = (float[])x.Clone();
        for (int c = 0; c < C; c++) x2[c * S + S - 1] += 1f; // perturb the last position only
        var (y1, _) = Run("attention", x);
        var (y2, _) = Run("attention", x2);
        for (int c = 0; c < C; c++)
            for (int s = 0; s < S - 1; s++)
                Assert.Equal(y1[c * S + s], y2[c * S + s]);
    }
}
