// Tests for `orion bench` dispatch: registry, unknown names, exit codes, one line per benchmark (cli-contract.md).
using Orion.Cli.Bench;
using Xunit;

namespace Orion.Cli.Tests.Bench;

public sealed class BenchCommandTests
{
    [Fact]
    public void Run_UnknownName_Exit2ListsKnownNames()
    {
        var output = new StringWriter();

        int code = BenchCommand.Run(["no-such-bench"], output);

        Assert.Equal(2, code);
        var text = output.ToString();
        Assert.Contains("'no-such-bench'", text, StringComparison.Ordinal);
        Assert.Contains("peak-fma", text, StringComparison.Ordinal);
        Assert.Contains("memcpy", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_BuiltinsRegistered()
    {
        Assert.Equal(["peak-fma", "memcpy"], BenchCatalog.Default.Names.Take(2));
    }

    [Fact]
    public void Run_NoNames_RunsAllInOrderOneLineEach()
    {
        var catalog = new BenchCatalog()
            .Register("alpha", ctx => ctx.Runner.Run("alpha", () => { }, () => { }).WithRatePerRun(1e9, 1e9, "GB/s"))
            .Register("beta-2", ctx => ctx.Runner.Run("beta-2", () => { }, () => { }).WithRatio(2));
        var output = new StringWriter();

        int code = BenchCommand.Run([], output, catalog, Context());

        Assert.Equal(0, code);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.True(l.IsContractLine(), l));
        Assert.Equal("bench alpha median=2.00ms min=2.00ms rate=500GB/s", lines[0]);
        Assert.StartsWith("bench beta-2 ", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(" ratio=2.00", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FailingReferenceCheck_ErrorLineExit1AndOthersStillRun()
    {
        var catalog = new BenchCatalog()
            .Register("bad", ctx => ctx.Runner.Run("bad", () => throw new InvalidOperationException("mismatch at 3"), () => { }))
            .Register("good", ctx => ctx.Runner.Run("good", () => { }, () => { }));
        var output = new StringWriter();

        int code = BenchCommand.Run([], output, catalog, Context());

        Assert.Equal(1, code);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("bench bad error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("mismatch at 3", lines[0], StringComparison.Ordinal);
        Assert.True(lines[1].IsContractLine(), lines[1]);
    }

    [Fact]
    public void Run_FactoryThrows_ErrorLineExit1()
    {
        var catalog = new BenchCatalog().Register("setup", _ => throw new OutOfMemoryException("no buffer"));
        var output = new StringWriter();

        Assert.Equal(1, BenchCommand.Run(["setup"], output, catalog, Context()));
        Assert.Contains("bench setup error: ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SelectedName_RunsOnlyThat()
    {
        int alphaRuns = 0;
        var catalog = new BenchCatalog()
            .Register("alpha", ctx => { alphaRuns++; return ctx.Runner.Run("alpha", () => { }, () => { }); })
            .Register("beta", ctx => ctx.Runner.Run("beta", () => { }, () => { }));
        var output = new StringWriter();

        Assert.Equal(0, BenchCommand.Run(["beta"], output, catalog, Context()));
        Assert.Equal(0, alphaRuns);
        Assert.StartsWith("bench beta ", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("with space")]
    [InlineData("")]
    [InlineData("-lead")]
    public void Register_BadName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => new BenchCatalog().Register(name, _ => throw new InvalidOperationException()));
    }

    [Fact]
    public void Register_Duplicate_Throws()
    {
        var c = new BenchCatalog().Register("a", _ => throw new InvalidOperationException());
        Assert.Throws<ArgumentException>(() => c.Register("a", _ => throw new InvalidOperationException()));
    }

    private static BenchContext Context() =>
        new(new BenchRunnerTests.FakeLimits(100, 20), new BenchRunner(new BenchOptions(WarmupRuns: 1, MinRuns: 3, MinSeconds: 0), a => { a(); return 0.002; }));
}
