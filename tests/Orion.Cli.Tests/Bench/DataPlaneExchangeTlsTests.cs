// The mutual-TLS `exchange` benchmarks at small sizes: the raw SslStream reference moves every byte both ways with
// the bench's own certificates, and the line matches the contract with a rate and a ratio. Never speed: the figures
// of these short runs are meaningless and nothing here asserts on them.
using Orion.Cli.Bench;
using Xunit;

namespace Orion.Cli.Tests.Bench;

public sealed class DataPlaneExchangeTlsTests
{
    private static BenchContext Context(int warmup = 1) => new(
        new BenchRunnerTests.FakeLimits(FmaPeakGflops: 100, MemcpyGBps: 20),
        new BenchRunner(new BenchOptions(WarmupRuns: warmup, MinRuns: 2, MinSeconds: 0, MaxRuns: 3)));

    [Fact]
    public async Task RawTls_CheckRound_EveryByteArrivesBothWays()
    {
        using var identities = DataPlaneExchangeIdentities.Create();
        await using var tls = await DataPlaneExchangeRawTls.ConnectAsync(connections: 3, bytes: 300_001, identities);

        tls.CheckRound();

        Assert.Equal(2L * 3 * 300_001, tls.RoundBytes);
    }

    [Fact]
    public void ExchangeTls_SmallMessagesOverSeveralChunks_ChecksBytesAndLineHasRateAndRatio()
    {
        // 2,100,004 bytes: two full 1 MiB chunks and a partial third, so chunking and reassembly are both exercised.
        var r = DataPlaneExchangeBenches.Exchange(Context(), new ExchangeSize(Workers: 2, MessageBytes: 2_100_004), "exchange-n2-tls", tls: true);

        Assert.False(r.Failed, r.Error);
        var line = r.FormatLine();
        Assert.True(line.IsContractLine(), line);
        Assert.StartsWith("bench exchange-n2-tls median=", line, StringComparison.Ordinal);
        Assert.Contains("MB/s", line, StringComparison.Ordinal);
        Assert.Contains(" ratio=", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ExchangeTls_FourWorkersNoWarmup_EveryWorkerAnswers()
    {
        var r = DataPlaneExchangeBenches.Exchange(Context(warmup: 0), new ExchangeSize(Workers: 4, MessageBytes: 40_000), "exchange-n4-tls", tls: true);

        Assert.False(r.Failed, r.Error);
        Assert.Equal(2 * 4 * 40_000 / r.MedianSeconds / 1e6, r.Rate!.Value, 6);
    }

    [Fact]
    public void Default_TlsExchangeBenchmarksRegistered()
    {
        foreach (var name in new[] { "exchange-n2-tls", "exchange-n4-tls" })
            Assert.Contains(name, BenchCatalog.Default.Names);
    }
}
