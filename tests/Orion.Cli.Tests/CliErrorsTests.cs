// Which exceptions count as the user's input (exit 1) versus a bug (exit 70), and how ArgumentException reads.
using Orion.Engine.Mil;
using Xunit;

namespace Orion.Cli.Tests;

public sealed class CliErrorsTests
{
    [Fact]
    public void IsUserError_ArgumentNull_IsABug()
    {
        Assert.False(CliErrors.IsUserError(new ArgumentNullException("x")));
        Assert.False(CliErrors.IsUserError(new InvalidOperationException("state")));
        Assert.False(CliErrors.IsUserError(new NullReferenceException()));
    }

    [Fact]
    public void IsUserError_BadValuesAndFiles_AreUserErrors()
    {
        Assert.True(CliErrors.IsUserError(new ArgumentException("bad value", "name")));
        Assert.True(CliErrors.IsUserError(new FormatException("bad file")));
        Assert.True(CliErrors.IsUserError(new FileNotFoundException("gone")));
        Assert.True(CliErrors.IsUserError(new MilException("unknown op 'x'", 3, 4)));
    }

    [Fact]
    public void Describe_ArgumentException_DropsParameterName()
    {
        var text = CliErrors.Describe(new ArgumentException("unknown chip profile 'm9', expected one of m1, m3, m4, m5", "name"));

        Assert.Equal("orion: unknown chip profile 'm9', expected one of m1, m3, m4, m5", text);
    }

    [Fact]
    public void Describe_MilException_KeepsLineAndColumn()
    {
        var text = CliErrors.Describe(new MilException("expected ';'", 6, 12));

        Assert.Equal("orion: invalid MIL program: MIL line 6, column 12: expected ';'", text);
    }
}
