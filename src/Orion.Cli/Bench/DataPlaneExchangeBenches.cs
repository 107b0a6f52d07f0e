// The `exchange` benchmarks, each against its like in the same run: `exchange-n2` / `exchange-n4` run the data plane
// over plain HTTP against plain TCP sockets (LoopbackTcp); `exchange-n2-tls` / `exchange-n4-tls` run it with mutual TLS,
// as a fleet does, against raw mutual-TLS SslStreams with the same certificates (DataPlaneExchangeRawTls). Both sides
// of a TLS ratio pay the same encryption, so it shows what HTTP, Kestrel and HttpClient add on top of an SslStream.
//
// The reference and the data plane take turns, one round each, and each median is over its own rounds: on a shared
// host whose load changes from second to second, a reference measured in a block before the data plane (as this bench
// first did) swung the ratio between 0.4 and 1.0 from run to run; paired rounds see the same load.
using System.Diagnostics;

namespace Orion.Cli.Bench;

public static class DataPlaneExchangeBenches
{
    public static BenchResult ExchangeN2Tls(BenchContext ctx) => Exchange(ctx, new ExchangeSize(2, ExchangeSize.DefaultMessageBytes), "exchange-n2-tls", tls: true);

    public static BenchResult ExchangeN4Tls(BenchContext ctx) => Exchange(ctx, new ExchangeSize(4, ExchangeSize.DefaultMessageBytes), "exchange-n4-tls", tls: true);

    /// <summary>
    /// Median/min of one round over the data plane (every worker GETs the weights and POSTs a gradient, digests
    /// checked), with mutual TLS when <paramref name="tls"/>; rate = tensor MB (10^6 bytes, both directions) per
    /// second; ratio = the reference's median round over ours (target: at least 0.8), the reference being raw
    /// loopback TCP, or raw mutual-TLS SslStreams with the same certificates, moving the same bytes on as many
    /// connections, in rounds taken in turn with ours. Both sides check a round's bytes before anything is timed.
    /// </summary>
    public static BenchResult Exchange(BenchContext ctx, ExchangeSize size, string name, bool tls)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(size);
        size.Validate();
        using var identities = tls ? DataPlaneExchangeIdentities.Create() : null;
        LoopbackTcp? tcp = null;
        DataPlaneExchangeRawTls? rawTls = null;
        DataPlaneExchange? plane = null;
        try
        {
            if (identities is null) tcp = LoopbackTcp.Connect(size.Workers, size.MessageBytes);
            else rawTls = DataPlaneExchangeRawTls.ConnectAsync(size.Workers, size.MessageBytes, identities).GetAwaiter().GetResult();
            Action rawCheck = tcp is not null ? tcp.CheckRound : rawTls!.CheckRound;
            Action rawRound = tcp is not null ? tcp.Round : rawTls!.Round;
            plane = DataPlaneExchange.StartAsync(size.Workers, size.Floats, identities).GetAwaiter().GetResult();
            return Paired(ctx, name, size.Workers, tls ? "raw mutual-TLS SslStream" : "raw loopback TCP", rawCheck, rawRound, plane.CheckRound, plane.Round)
                .WithRatePerRun(size.RoundBytes, 1e6, "MB/s");
        }
        finally
        {
            plane?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            rawTls?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            tcp?.Dispose();
        }
    }

    /// <summary>
    /// Runs <paramref name="round"/> under the context's runner rules, a <paramref name="rawRound"/> before each of
    /// its rounds (warm-ups included, untimed there), after both checks and a warm-up until the JIT settles;
    /// ratio = median raw round / median round.
    /// </summary>
    private static BenchResult Paired(BenchContext ctx, string name, int workers, string reference, Action rawCheck, Action rawRound, Action check, Action round)
    {
        var rawSamples = new List<double>();
        double rawSeconds = 0, seconds = 0;
        // The runner's repetition rules with a clock that reports our part of each pair and keeps the reference's.
        var runner = new BenchRunner(ctx.Runner.Options, measured =>
        {
            measured();
            rawSamples.Add(rawSeconds);
            return seconds;
        });
        var result = runner.Run(name,
            check: () =>
            {
                try
                {
                    rawCheck();
                }
                catch (Exception e)
                {
                    throw new InvalidOperationException($"the {reference} reference failed, so there is no ratio: {e.Message}", e);
                }
                check();
                if (ctx.Runner.Options.WarmupRuns > 0) WarmUntilJitSettles(workers, rawRound, round);
            },
            measured: () =>
            {
                rawSeconds = Time(rawRound);
                seconds = Time(round);
            });
        return result.Failed ? result : result.WithRatio(BenchRunner.Median(rawSamples) / result.MedianSeconds);
    }

    /// <summary>How long the warm-up may take at most, however busy the JIT still is by then.</summary>
    private static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(40);

    /// <summary>
    /// Warm-up pairs of rounds until the JIT has settled. Kestrel and HttpClient are a lot of code, and .NET tiers a
    /// method up twice (to an instrumented tier, then to the PGO-optimised one) after about 30 calls each; per-request
    /// methods are called once per worker per round, so they reach their final code only after about 60 / workers
    /// rounds. Until then a background thread compiles on one of this machine's two cores: timed in that phase, the
    /// data plane measured 0.56-0.66 of raw TCP, and 0.70-0.80 with the JIT settled (DOTNET_TieredPGO=0). A
    /// coordinator runs for hours, so the settled figure is the one that matters; the raw side has little code and
    /// gains nothing from the wait. Beyond that minimum, pairs go on until one compiles nothing.
    /// </summary>
    private static void WarmUntilJitSettles(int workers, Action rawRound, Action round)
    {
        var clock = Stopwatch.StartNew();
        int minimum = (64 + workers - 1) / workers + 4;
        for (int pair = 0; clock.Elapsed < MaxWarmup; pair++)
        {
            long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            rawRound();
            round();
            if (pair >= minimum && System.Runtime.JitInfo.GetCompiledMethodCount() == compiled) return;
        }
    }

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
