// The emulator benchmarks at tiny sizes: each reference check passes and each line matches the contract. Never speed.
using Orion.Cli.Bench;
using Xunit;

namespace Orion.Cli.Tests.Bench;

public sealed class EmulatorBenchmarksTests
{
    // Few, short runs: these tests check correctness and format, the figures are meaningless.
    private static BenchContext Context() => new(
        new BenchRunnerTests.FakeLimits(FmaPeakGflops: 100, MemcpyGBps: 20),
        new BenchRunner(new BenchOptions(WarmupRuns: 1, MinRuns: 2, MinSeconds: 0, MaxRuns: 2)));

    private static readonly DeltaBenchSize TinyDelta = new(Programs: 2, Channels: 32, Seq: 32);

    [Fact]
    public void DeltaVsCompile_TinySize_PatchMatchesFreshCompileAndLineHasRatioRateBw()
    {
        var r = DeltaVsCompileBench.Patch(Context(), TinyDelta, "delta-vs-compile");

        Assert.Null(r.Error);
        var line = r.FormatLine();
        Assert.True(line.IsContractLine(), line);
        Assert.StartsWith("bench delta-vs-compile median=", line, StringComparison.Ordinal);
        Assert.Contains(" ratio=", line, StringComparison.Ordinal);
        Assert.Contains("GB/s", line, StringComparison.Ordinal);
        Assert.Contains(" bw-fraction=", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_SameContext_MeasuredOnceAndSharedWithPatch()
    {
        var ctx = Context();

        var first = DeltaVsCompileBench.Compile(ctx, TinyDelta);
        var patch = DeltaVsCompileBench.Patch(ctx, TinyDelta, "delta-vs-compile");

        Assert.Null(first.Error);
        Assert.Same(first, DeltaVsCompileBench.Compile(ctx, TinyDelta));
        Assert.Equal("compile-2x32", first.Name);
        Assert.True(first.FormatLine().IsContractLine(), first.FormatLine());
        Assert.Equal(first.MedianSeconds / patch.MedianSeconds, patch.Ratio!.Value, 9);
    }

    [Fact]
    public void Conv_TinySize_MatchesFloat64ReferenceAndLineHasPeakFraction()
    {
        var r = ConvBench.Run(Context(), new ConvBenchSize(Channels: 64, Seq: 32), "conv-768");

        Assert.Null(r.Error);
        var line = r.FormatLine();
        Assert.True(line.IsContractLine(), line);
        Assert.Contains("GFLOP/s", line, StringComparison.Ordinal);
        Assert.Contains(" peak-fraction=", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Fp16Convert_TinySizeWithTail_MatchesScalarDefinitionAndLineHasBwFraction()
    {
        var r = Fp16ConvertBench.Run(Context(), new Fp16ConvertSize(Elements: 10_007, CheckedElements: 10_007), "fp16-convert");

        Assert.Null(r.Error);
        var line = r.FormatLine();
        Assert.True(line.IsContractLine(), line);
        Assert.Contains("Gelem/s", line, StringComparison.Ordinal);
        Assert.Contains(" bw-fraction=", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_EmulatorBenchmarksRegistered()
    {
        foreach (var name in new[] { "compile-12x768", "delta-vs-compile", "conv-768", "fp16-convert" })
            Assert.Contains(name, BenchCatalog.Default.Names);
    }

    [Fact]
    public void Train_TinyModel_ChecksTheFirstLossAndLineHasTokensPerSecondAndPeakFraction()
    {
        var r = ModelBenches.Train(Context(), Orion.Engine.Model.ModelConfig.Preset("gpt2-tiny"), 1, 64, "train-tiny");
        Assert.False(r.Failed, r.Error);
        Assert.Equal("tok/s", r.RateUnit);
        Assert.Matches(@"^bench train-tiny median=\S+ min=\S+ rate=\S+tok/s peak-fraction=\S+$", r.FormatLine());
    }

    [Fact]
    public void GemmDw_PassesItsReferenceCheckAndLineHasPeakFraction()
    {
        var r = ModelBenches.GemmDw(Context());
        Assert.False(r.Failed, r.Error);
        Assert.Equal("GFLOP/s", r.RateUnit);
        Assert.NotNull(r.PeakFraction);
    }

    [Fact]
    public void TrainingFlopsPerToken_Gpt2_124m_IsSixPerWeightPlusAttention()
    {
        // 124,439,808 parameters less the 786,432 position embeddings, plus 12 * 12 layers * 1024 * 768.
        Assert.Equal(6.0 * 123_653_376 + 12.0 * 12 * 1024 * 768, ModelBenches.TrainingFlopsPerToken(Orion.Engine.Model.ModelConfig.Preset("gpt2-124m"), 1024));
    }
}
