// The composite programs `orion compile` builds besides whole models: attention with a causal mask, LayerNorm, RMSNorm, GELU-tanh FFN and SwiGLU FFN, each with seeded weights on the [1, C, 1, S] layout.
using Orion.Engine.Graph;
using Orion.Engine.Tensors;

namespace Orion.Engine.Programs;

public static class CompositePrograms
{
    public const int Channels = 64;
    public const int Seq = 64;
    public const int Heads = 2;
    public const int Hidden = 128;

    public static IReadOnlyDictionary<string, Func<ulong, int, int, Graph.Graph>> Builders { get; } =
        new Dictionary<string, Func<ulong, int, int, Graph.Graph>>(StringComparer.Ordinal)
        {
            ["attention"] = Attention,
            ["layernorm"] = LayerNorm,
            ["rmsnorm"] = RmsNorm,
            ["gelu-ffn"] = GeluFfn,
            ["swiglu-ffn"] = SwiGluFfn,
        };

    /// <summary>The name that builds every composite program, one folder each.</summary>
    public const string All = "composites";

    public static Graph.Graph Build(string name, ulong seed = 1, int channels = Channels, int seq = Seq) =>
        Builders.TryGetValue(name, out var f) ? f(seed, channels, seq)
            : throw new ArgumentException($"unknown model '{name}'; this build knows {string.Join(", ", Builders.Keys)} and '{All}'", nameof(name));

    private static Node W(GraphBuilder b, SeededRandom r, string name, int rows, int cols) =>
        b.Const(name, new Shape(rows, cols), r.Uniform(rows * cols, 1f / MathF.Sqrt(cols)));

    private static Node V(GraphBuilder b, SeededRandom r, string name, int n, float center, float spread) =>
        b.Const(name, new Shape(n), r.Uniform(n, spread).Select(v => v + center).ToArray());

    public static Graph.Graph Attention(ulong seed, int c, int s)
    {
        var r = new SeededRandom(seed);
        var b = new GraphBuilder("attention");
        var x = b.Input("x", c, s);
        var q = b.Linear(x, W(b, r, "wq", c, c), name: "q");
        var k = b.Linear(x, W(b, r, "wk", c, c), name: "k");
        var v = b.Linear(x, W(b, r, "wv", c, c), name: "v");
        var a = b.Attention(q, k, v, Heads);
        b.Output("y", b.Linear(a, W(b, r, "wo", c, c), name: "o"));
        return b.Graph;
    }

    public static Graph.Graph LayerNorm(ulong seed, int c, int s)
    {
        var r = new SeededRandom(seed);
        var b = new GraphBuilder("layernorm");
        var x = b.Input("x", c, s);
        b.Output("y", b.LayerNorm(x, V(b, r, "gamma", c, 1f, 0.1f), V(b, r, "beta", c, 0f, 0.1f)));
        return b.Graph;
    }

    public static Graph.Graph RmsNorm(ulong seed, int c, int s)
    {
        var r = new SeededRandom(seed);
        var b = new GraphBuilder("rmsnorm");
        var x = b.Input("x", c, s);
        b.Output("y", b.RmsNorm(x, V(b, r, "gamma", c, 1f, 0.1f)));
        return b.Graph;
    }

    public static Graph.Graph GeluFfn(ulong seed, int c, int s)
    {
        var r = new SeededRandom(seed);
        var b = new GraphBuilder("gelu-ffn");
        var x = b.Input("x", c, s);
        int h = Math.Max(Hidden, 2 * c);
        b.Output("y", b.GeluFfn(x, W(b, r, "w1", h, c), V(b, r, "b1", h, 0f, 0.1f), W(b, r, "w2", c, h), V(b, r, "b2", c, 0f, 0.1f)));
        return b.Graph;
    }

    public static Graph.Graph SwiGluFfn(ulong seed, int c, int s)
    {
        var r = new SeededRandom(seed);
        var b = new GraphBuilder("swiglu-ffn");
        var x = b.Input("x", c, s);
        int h = Math.Max(Hidden, 2 * c);
        b.Output("y", b.SwiGluFfn(x, W(b, r, "w1", h, c), W(b, r, "w2", c, h), W(b, r, "w3", h, c)));
        return b.Graph;
    }
}
