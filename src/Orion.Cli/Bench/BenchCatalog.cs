// The registry of `orion bench` benchmarks: name -> factory, in registration order (cli-contract.md).
// To add a benchmark, add one `.Register("name", Factory)` line to Default below.
using System.Text.RegularExpressions;

namespace Orion.Cli.Bench;

/// <summary>Benchmarks by name. A factory gets a <see cref="BenchContext"/> and returns one <see cref="BenchResult"/>, usually via <c>ctx.Runner.Run</c>.</summary>
public sealed partial class BenchCatalog
{
    private readonly List<KeyValuePair<string, Func<BenchContext, BenchResult>>> _entries = [];
    private readonly Lock _lock = new();

    /// <summary>What `orion bench` runs.</summary>
    public static BenchCatalog Default { get; } = new BenchCatalog()
        .Register("peak-fma", BuiltinBenchmarks.PeakFma)
        .Register("memcpy", BuiltinBenchmarks.Memcpy)
        .Register("compile-12x768", DeltaVsCompileBench.Compile)
        .Register("delta-vs-compile", DeltaVsCompileBench.Patch)
        .Register("conv-768", ConvBench.Run)
        .Register("fp16-convert", Fp16ConvertBench.Run)
        .Register("gemm-dw", ModelBenches.GemmDw)
        .Register("forward-gpt2-124m", ModelBenches.ForwardGpt2_124m)
        .Register("train-gpt2-small", ModelBenches.TrainGpt2Small)
        .Register("exchange-n2", ClusterBenches.ExchangeN2)
        .Register("exchange-n4", ClusterBenches.ExchangeN4)
        .Register("exchange-n2-tls", DataPlaneExchangeBenches.ExchangeN2Tls)
        .Register("exchange-n4-tls", DataPlaneExchangeBenches.ExchangeN4Tls)
        .Register("step-overhead", ClusterBenches.StepOverhead)
        .Register("step-overhead-journal", ClusterBenches.StepOverheadJournal);

    /// <summary>Adds a benchmark; names are lower-case letters, digits and '-', and unique. Returns this for chaining.</summary>
    public BenchCatalog Register(string name, Func<BenchContext, BenchResult> factory)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!NameRegex().IsMatch(name))
            throw new ArgumentException($"benchmark name '{name}' must match [a-z0-9-]+ (the `bench <name>` line format)", nameof(name));
        lock (_lock)
        {
            if (_entries.Any(e => e.Key == name))
                throw new ArgumentException($"benchmark '{name}' is already registered", nameof(name));
            _entries.Add(new(name, factory));
        }
        return this;
    }

    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_lock) return _entries.Select(e => e.Key).ToList();
        }
    }

    public bool TryGet(string name, out Func<BenchContext, BenchResult> factory)
    {
        lock (_lock)
        {
            foreach (var e in _entries)
            {
                if (e.Key == name)
                {
                    factory = e.Value;
                    return true;
                }
            }
        }
        factory = null!;
        return false;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}
