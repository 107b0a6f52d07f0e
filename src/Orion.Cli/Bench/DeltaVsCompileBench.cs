// `delta-vs-compile` and `compile-12x768`: delta-patching the weights of 12 loaded 768x768 conv programs vs compiling
// and loading them again (ane-reference.md section 3; R05/R15 are why the patch path exists). cli-contract.md, `orion bench`.
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Compiler;
using Orion.Engine.Graph;
using Orion.Engine.Tensors;

namespace Orion.Cli.Bench;

/// <summary><c>Programs</c> programs, each <c>y = conv(x [1, Channels, 1, Seq], W [Channels, Channels, 1, 1])</c> with fp16 weights.</summary>
public sealed record DeltaBenchSize(int Programs = 12, int Channels = 768, int Seq = 64)
{
    public static DeltaBenchSize Default { get; } = new();

    /// <summary>Weight bytes one patch run moves: one fp16 [C, C] tensor per program (blob headers not counted).</summary>
    public double WeightBytesPerRun => (double)Programs * Channels * Channels * sizeof(ushort);
}

/// <summary>
/// The contract line has no field for a second time, so the full-compile baseline is its own benchmark
/// (<c>compile-12x768</c>). Both benchmarks share one measurement per context: whichever runs first measures the
/// compile cycle, and the other reuses it, so `orion bench` never times the 12 compiles twice.
/// </summary>
public static class DeltaVsCompileBench
{
    private static readonly ConditionalWeakTable<BenchContext, ConcurrentDictionary<DeltaBenchSize, Lazy<BenchResult>>> CompileResults = new();

    public static string CompileName(DeltaBenchSize size) => $"compile-{size.Programs}x{size.Channels}";

    /// <summary>The patch line: median/min of one patch of every program; ratio = compile median / patch median.</summary>
    public static BenchResult Patch(BenchContext ctx) => Patch(ctx, DeltaBenchSize.Default, "delta-vs-compile");

    /// <summary>The full-compile line: median/min of compile + load (+ release) of every program.</summary>
    public static BenchResult Compile(BenchContext ctx) => Compile(ctx, DeltaBenchSize.Default);

    public static BenchResult Compile(BenchContext ctx, DeltaBenchSize size)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(size);
        return CompileResults.GetOrCreateValue(ctx).GetOrAdd(size, s => new Lazy<BenchResult>(() => MeasureCompile(ctx, s))).Value;
    }

    public static BenchResult Patch(BenchContext ctx, DeltaBenchSize size, string name)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(size);
        var compile = Compile(ctx, size);
        if (compile.Failed)
            return BenchResult.Failure(name, $"the full-compile baseline ({compile.Name}) failed, so there is no ratio: {compile.Error}");

        var set = new ProgramSet(size);
        using var device = NewDevice();
        var programs = set.SetA.Select(c => Load(device, c.ToSource())).ToArray();
        var onB = new bool[programs.Length];
        var result = ctx.Runner.Run(name,
            check: () =>
            {
                CheckPatchMatchesFreshCompile(device, programs[0], set, size);
                onB[0] = true; // the check patched program 0 to set B
            },
            measured: () =>
            {
                for (int i = 0; i < programs.Length; i++)
                {
                    onB[i] = !onB[i]; // alternate, so every patch really changes the weights
                    device.PatchWeights(programs[i], (onB[i] ? set.SetB[i] : set.SetA[i]).Weights);
                }
            });
        result = result.WithRatePerRun(size.WeightBytesPerRun, 1e9, "GB/s").WithRatio(compile.MedianSeconds / result.MedianSeconds);
        return result.Rate is { } gbps ? result.WithBwFraction(gbps, ctx.Limits) : result;
    }

    private static BenchResult MeasureCompile(BenchContext ctx, DeltaBenchSize size)
    {
        var set = new ProgramSet(size);
        var sources = set.SetA.Select(c => c.ToSource()).ToArray();
        using var device = NewDevice();
        var loaded = new List<AneProgram>(sources.Length);
        return ctx.Runner.Run(CompileName(size),
            check: () =>
            {
                // The compiled programs run: program 0's output is W·x (checked bit for bit in the patch benchmark).
                var p = Load(device, sources[0]);
                var y = RunY(device, p, set.Input);
                device.Release(p);
                if (y.Length != size.Channels * size.Seq || y.All(v => v == 0))
                    throw new InvalidOperationException($"compiled program gave {y.Length} values (expected {size.Channels * size.Seq}), all zero: {y.All(v => v == 0)}");
            },
            measured: () =>
            {
                // One cycle = compile + load every program, then release them (a few unlinks) so folders do not pile up.
                foreach (var s in sources) loaded.Add(Load(device, s));
                foreach (var p in loaded) device.Release(p);
                loaded.Clear();
            });
    }

    private static void CheckPatchMatchesFreshCompile(EmulatedAneDevice device, AneProgram program, ProgramSet set, DeltaBenchSize size)
    {
        var before = RunY(device, program, set.Input);
        device.PatchWeights(program, set.SetB[0].Weights);
        var patched = RunY(device, program, set.Input);
        var fresh = Load(device, set.SetB[0].ToSource());
        var want = RunY(device, fresh, set.Input);
        device.Release(fresh);
        for (int i = 0; i < want.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(patched[i]) != BitConverter.SingleToInt32Bits(want[i]))
                throw new InvalidOperationException($"patched program gives y[{i}] = {patched[i]:R}, a fresh compile of the same weights {want[i]:R} ({size.Channels}x{size.Channels}, S = {size.Seq})");
        }
        if (before.AsSpan().SequenceEqual(patched))
            throw new InvalidOperationException("the patch did not change the output: weight sets A and B must differ");
    }

    private static EmulatedAneDevice NewDevice() => new(new EmulatedDeviceOptions { Budget = new CompileBudget(100_000) });

    private static AneProgram Load(IAneDevice device, AneProgramSource source)
    {
        var p = device.Compile(source);
        device.Load(p);
        return p;
    }

    private static float[] RunY(IAneDevice device, AneProgram p, float[] x)
    {
        using var s = new AneSession(device, p);
        return s.Run(new Dictionary<string, float[]> { ["x"] = x })["y"];
    }

    /// <summary>Two compiled weight sets per program (same MIL, different weights) and one input.</summary>
    private sealed class ProgramSet
    {
        public ProgramSet(DeltaBenchSize size)
        {
            SetA = Enumerable.Range(0, size.Programs).Select(i => Build(size, 1000 + i)).ToArray();
            SetB = Enumerable.Range(0, size.Programs).Select(i => Build(size, 2000 + i)).ToArray();
            Input = BenchData.Uniform(size.Channels * size.Seq, 7, 1f);
        }

        public CompiledProgram[] SetA { get; }
        public CompiledProgram[] SetB { get; }
        public float[] Input { get; }

        private static CompiledProgram Build(DeltaBenchSize size, int seed)
        {
            int c = size.Channels;
            var b = new GraphBuilder("delta");
            var x = b.Input("x", c, size.Seq);
            var w = b.Const("w", new Shape(c, c, 1, 1), BenchData.Uniform(c * c, seed, 1f / MathF.Sqrt(c)));
            b.Output("y", b.Conv(x, w));
            return OrionCompiler.Compile(b.Graph);
        }
    }
}
