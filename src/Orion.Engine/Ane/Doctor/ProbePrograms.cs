// The programs `orion doctor` and the IAneDevice contract suite run: small, seeded, with float64 references, each
// chosen to exercise one part of the API sequence or one disputed rule (ane-reference.md sections 2, 3 and 7).
using Orion.Engine.Compiler;
using Orion.Engine.Graph;
using Orion.Engine.Programs;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;

namespace Orion.Engine.Ane.Doctor;

/// <summary>A program with seeded inputs and the float64 reference of every output.</summary>
public sealed record ProbeCase(string Name, AneProgramSource Source, IReadOnlyDictionary<string, float[]> Inputs, IReadOnlyDictionary<string, double[]> Expected);

public static class ProbePrograms
{
    /// <summary>Channels and sequence of the contract programs: [1, 64, 1, 32] fp16 = 4 KiB per tensor.</summary>
    public const int C = 64, S = 32;

    public static float[] Random(int n, ulong seed, float scale = 1f) => new SeededRandom(seed).Uniform(n, scale);

    public static float[] ConvWeights(ulong seed) => Random(C * C, seed, 0.125f);

    /// <summary>y = W·x (a 1x1 conv with one weight file), z = relu(x): two outputs bound alphabetically (R03).</summary>
    public static CompiledProgram Conv(float[] w)
    {
        ArgumentNullException.ThrowIfNull(w);
        var b = new GraphBuilder("conv");
        var x = b.Input("x", C, S);
        var wc = b.Const("w", new Shape(C, C, 1, 1), w);
        b.Output("y", b.Conv(x, wc));
        b.Output("z", b.Relu(x));
        return OrionCompiler.Compile(b.Graph);
    }

    public static ProbeCase ConvCase(ulong seed)
    {
        var w = ConvWeights(seed);
        var x = Random(C * S, seed + 1000);
        return new ProbeCase($"conv-{seed}", Conv(w).ToSource(), new Dictionary<string, float[]> { ["x"] = x },
            new Dictionary<string, double[]> { ["y"] = ConvReference(w, x), ["z"] = x.Select(v => (double)Math.Max(v, 0)).ToArray() });
    }

    /// <summary>y[o, s] = sum_i W[o, i] x[i, s] in float64.</summary>
    public static double[] ConvReference(float[] w, float[] x)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(x);
        var y = new double[C * S];
        for (int o = 0; o < C; o++)
            for (int i = 0; i < C; i++)
                for (int s = 0; s < S; s++) y[o * S + s] += (double)w[o * C + i] * x[i * S + s];
        return y;
    }

    /// <summary>y = a + b: no weights, so the weights dictionary is empty, never nil (R11).</summary>
    public static ProbeCase AddCase(ulong seed)
    {
        var b = new GraphBuilder("add");
        b.Output("y", b.Add(b.Input("a", C, S), b.Input("b", C, S)));
        var a = Random(C * S, seed);
        var bb = Random(C * S, seed + 1);
        return new ProbeCase("add", OrionCompiler.Compile(b.Graph).ToSource(), new Dictionary<string, float[]> { ["a"] = a, ["b"] = bb },
            new Dictionary<string, double[]> { ["y"] = a.Zip(bb, (u, v) => (double)u + v).ToArray() });
    }

    /// <summary>A channel concat emitted as MIL <c>concat</c> (R01, disputed): compiled for a profile that allows it.</summary>
    public static ProbeCase ConcatCase(ulong seed)
    {
        var b = new GraphBuilder("concat");
        b.Output("y", b.Concat(1, [b.Input("a", C, S), b.Input("b", C, S)]));
        var program = OrionCompiler.Compile(b.Graph, new CompilerOptions { Profile = ChipProfile.Default with { ConcatAllowed = true } });
        if (!program.MilText.Contains("concat(", StringComparison.Ordinal))
            throw new InvalidOperationException("the concat probe lost its concat op in compilation; the probe would test nothing");
        var a = Random(C * S, seed);
        var bb = Random(C * S, seed + 1);
        return new ProbeCase("concat", program.ToSource(), new Dictionary<string, float[]> { ["a"] = a, ["b"] = bb },
            new Dictionary<string, double[]> { ["y"] = a.Concat(bb).Select(v => (double)v).ToArray() });
    }

    /// <summary>
    /// Two inputs of different packed sizes (a: 48 KiB, b: 64 KiB, both above the R04 minimum) and their relus:
    /// surfaces of chosen sizes tell which R18 variant the hardware follows.
    /// </summary>
    public static ProbeCase TwoSizesCase(ulong seed)
    {
        const int sa = 384, sb = 512;
        var b = new GraphBuilder("two-sizes");
        b.Output("ya", b.Relu(b.Input("a", C, sa)));
        b.Output("yb", b.Relu(b.Input("b", C, sb)));
        var a = Random(C * sa, seed);
        var bb = Random(C * sb, seed + 1);
        return new ProbeCase("two-sizes", OrionCompiler.Compile(b.Graph).ToSource(), new Dictionary<string, float[]> { ["a"] = a, ["b"] = bb },
            new Dictionary<string, double[]> { ["ya"] = a.Select(v => (double)Math.Max(v, 0)).ToArray(), ["yb"] = bb.Select(v => (double)Math.Max(v, 0)).ToArray() });
    }

    /// <summary>relu of a 1 KiB tensor: surfaces from 1 KiB up find the smallest allocation the ANE accepts (R04).</summary>
    public static ProbeCase TinyCase(ulong seed)
    {
        var b = new GraphBuilder("tiny");
        b.Output("y", b.Relu(b.Input("x", C, 8)));
        var x = Random(C * 8, seed);
        return new ProbeCase("tiny", OrionCompiler.Compile(b.Graph).ToSource(), new Dictionary<string, float[]> { ["x"] = x },
            new Dictionary<string, double[]> { ["y"] = x.Select(v => (double)Math.Max(v, 0)).ToArray() });
    }

    /// <summary>Largest |got - want| over every output, relative to max(1, |want|): fp16 storage gives ~1e-3.</summary>
    public static double MaxError(IReadOnlyDictionary<string, double[]> expected, IReadOnlyDictionary<string, float[]> got)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(got);
        double worst = 0;
        foreach (var (name, want) in expected)
        {
            if (!got.TryGetValue(name, out var g) || g.Length != want.Length) return double.PositiveInfinity;
            for (int i = 0; i < want.Length; i++)
            {
                double e = Math.Abs(g[i] - want[i]) / Math.Max(1, Math.Abs(want[i]));
                if (double.IsNaN(e)) return double.PositiveInfinity;
                worst = Math.Max(worst, e);
            }
        }
        return worst;
    }

    /// <summary>Tolerance for fp16 results of these small programs (inputs in [-1, 1], 64-term sums).</summary>
    public const double Tolerance = 1e-2;
}
