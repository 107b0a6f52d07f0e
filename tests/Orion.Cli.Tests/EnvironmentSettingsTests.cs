// A malformed ORION_* environment variable stops any command at once with one sentence naming the variable and what
// it expects (exit 1), never a type initializer failure from deep inside a device or the coordinator.
using Orion.Cli.Tests.Cluster;
using Xunit;

namespace Orion.Cli.Tests;

[Trait("Category", "MultiProcess")]
public sealed class EnvironmentSettingsTests
{
    [Theory]
    [InlineData("ORION_COMPILE_BUDGET", "lots", "positive whole number")]
    [InlineData("ORION_COMPILE_BUDGET", "-3", "positive whole number")]
    [InlineData("ORION_CRASH_AT", "somewhere", "'<point>:<n>'")]
    [InlineData("ORION_CRASH_AT", "journal-persist:0", "n >= 1")]
    [InlineData("ORION_OS_BUILD", "../../etc", "OS build name")]
    public void AnyCommand_MalformedVariable_ExitsOneNamingIt(string variable, string value, string expected)
    {
        using var dir = new TempDir();
        using var p = new OrionProcess(new Dictionary<string, string> { [variable] = value },
            "train", "--steps", "1", "--batch", "1", "--seq", "32", "--run-dir", dir.At("run"), "--cache-dir", dir.At("cache"));
        Assert.True(p.WaitForExit() == 1, p.Output);
        Assert.Contains($"orion: environment: {variable}", p.Output, StringComparison.Ordinal);
        Assert.Contains(expected, p.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("type initializer", p.Output, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(dir.At("run")), "the command ran before the variable was checked");
    }

    [Fact]
    public void EnvironmentSettings_WellFormedOrUnset_Pass()
    {
        Engine.Diagnostics.EnvironmentSettings.Validate(_ => null);
        Engine.Diagnostics.EnvironmentSettings.Validate(name => name switch
        {
            "ORION_COMPILE_BUDGET" => "50",
            "ORION_CRASH_AT" => "journal-persisted:3",
            "ORION_OS_BUILD" => "24A335",
            _ => null,
        });
    }
}
