// `orion` itself: no arguments prints help and exits 2 (usage), --help exits 0, unknown commands and flags exit 2.
using Xunit;

namespace Orion.Cli.Tests;

public sealed class RootCommandTests
{
    [Fact]
    public void Run_NoArguments_PrintsHelpExit2()
    {
        var r = Cli.Run();

        Assert.Equal(2, r.Exit);
        var all = r.Out + r.Err;
        Assert.Contains("Usage:", all, StringComparison.Ordinal);
        Assert.Contains("compile", all, StringComparison.Ordinal);
        Assert.Contains("mil", all, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Help_PrintsHelpExit0()
    {
        var r = Cli.Run("--help");

        Assert.Equal(0, r.Exit);
        Assert.Contains("Usage:", r.Out, StringComparison.Ordinal);
        Assert.Contains("compile", r.Out, StringComparison.Ordinal);
        Assert.Equal("", r.Err);
    }

    [Theory]
    [InlineData("compile")]
    [InlineData("mil")]
    public void Run_CommandHelp_Exit0(string command)
    {
        var r = Cli.Run(command, "--help");

        Assert.Equal(0, r.Exit);
        Assert.Contains("Usage:", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownCommand_UsageExit2()
    {
        var r = Cli.Run("frobnicate");

        Assert.Equal(2, r.Exit);
        Cli.AssertUserError(r, "frobnicate", "--help");
    }

    [Fact]
    public void Run_UnknownFlag_UsageExit2()
    {
        var r = Cli.Run("compile", "--model", "layernorm", "--out", "o", "--turbo");

        Assert.Equal(2, r.Exit);
        Cli.AssertUserError(r, "--turbo", "--help");
    }

    [Fact]
    public void Run_MilWithoutSubcommand_UsageExit2()
    {
        var r = Cli.Run("mil");

        Assert.Equal(2, r.Exit);
        Assert.Contains("run", r.Out + r.Err, StringComparison.Ordinal);
    }
}
