// `--device auto|emulated|ane` decided from host facts, the factory that opens the decided device, and the budgets.
using System.Runtime.InteropServices;
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;
using Xunit;

namespace Orion.Engine.Tests.Ane;

public sealed class DeviceSelectionTests
{
    private static readonly HostFacts Linux = new(false, Architecture.X64, false, "Debian 12 X64");
    private static readonly HostFacts MacArm = new(true, Architecture.Arm64, true, "macOS 15.1 Arm64");
    private static readonly HostFacts MacRosetta = new(true, Architecture.X64, true, "macOS 15.1 X64");
    private static readonly HostFacts MacNoFramework = new(true, Architecture.Arm64, false, "macOS 15.1 Arm64");

    [Theory]
    [InlineData("auto", DeviceChoice.Auto)]
    [InlineData(" Emulated ", DeviceChoice.Emulated)]
    [InlineData("emulator", DeviceChoice.Emulated)]
    [InlineData("ANE", DeviceChoice.Ane)]
    public void Parse_KnownNames(string text, DeviceChoice choice) => Assert.Equal(choice, DeviceSelection.Parse(text));

    [Fact]
    public void Parse_Unknown_ListsTheChoices()
    {
        var e = Assert.Throws<ArgumentException>(() => DeviceSelection.Parse("gpu"));
        Assert.Contains("auto", e.Message, StringComparison.Ordinal);
        Assert.Contains("emulated", e.Message, StringComparison.Ordinal);
        Assert.Contains("'gpu'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_OffAMac_EmulatorAndSaysWhy()
    {
        var d = DeviceSelection.Decide(DeviceChoice.Auto, Linux);
        Assert.Equal(DeviceKind.Emulated, d.Kind);
        Assert.Equal("device: emulated (auto: this machine is not a Mac (Debian 12 X64))", d.ToString());
    }

    [Fact]
    public void Auto_AppleSiliconWithFramework_TheAne()
    {
        var d = DeviceSelection.Decide(DeviceChoice.Auto, MacArm);
        Assert.Equal(DeviceKind.Ane, d.Kind);
        Assert.StartsWith("device: ane (auto: Apple silicon", d.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_UnderRosetta_EmulatorNamingRosetta()
    {
        var d = DeviceSelection.Decide(DeviceChoice.Auto, MacRosetta);
        Assert.Equal(DeviceKind.Emulated, d.Kind);
        Assert.Contains("Rosetta", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_MacWithoutFramework_Emulator()
    {
        var d = DeviceSelection.Decide(DeviceChoice.Auto, MacNoFramework);
        Assert.Equal(DeviceKind.Emulated, d.Kind);
        Assert.Contains("AppleNeuralEngine.framework is missing", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ane_OffAMac_ClearErrorPointingAtTheEmulator()
    {
        var e = Assert.Throws<DeviceUnavailableException>(() => DeviceSelection.Decide(DeviceChoice.Ane, Linux));
        Assert.Contains("--device ane needs the Apple Neural Engine", e.Message, StringComparison.Ordinal);
        Assert.Contains("not a Mac", e.Message, StringComparison.Ordinal);
        Assert.Contains("--device emulated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ane_OnAppleSilicon_TheAne() => Assert.Equal(DeviceKind.Ane, DeviceSelection.Decide(DeviceChoice.Ane, MacArm).Kind);

    [Fact]
    public void Emulated_Anywhere_TheEmulator()
    {
        foreach (var host in new[] { Linux, MacArm, MacRosetta, MacNoFramework })
            Assert.Equal(DeviceKind.Emulated, DeviceSelection.Decide(DeviceChoice.Emulated, host).Kind);
    }

    [Fact]
    public void Open_Emulated_EmulatedDeviceWithRequestedBudget()
    {
        var budget = new CompileBudget(3);
        using var d = AneDevices.Open(new DeviceRequest { Choice = DeviceChoice.Auto, Budget = budget }, out var decision, Linux);
        var e = Assert.IsType<EmulatedAneDevice>(d);
        Assert.Same(budget, e.Budget);
        Assert.Equal(DeviceKind.Emulated, decision.Kind);
        Assert.Equal("m4", d.Profile.Name);
    }

    [Fact]
    public void Open_AneDecidedButNotMacOS_Refused()
    {
        if (OperatingSystem.IsMacOS()) return; // there this would open the real device; the contract suite covers it
        Assert.Throws<DeviceUnavailableException>(() => AneDevices.Open(new DeviceRequest { Choice = DeviceChoice.Ane }, out _, MacArm));
    }

    [Fact]
    public void Current_MatchesThisProcess()
    {
        var h = HostFacts.Current();
        Assert.Equal(OperatingSystem.IsMacOS(), h.IsMacOS);
        Assert.Equal(RuntimeInformation.ProcessArchitecture, h.ProcessArchitecture);
        if (!h.IsMacOS) Assert.False(h.AneFrameworkPresent);
    }

    [Fact]
    public void Budgets_AneRefusesAt100_EmulatorAt119()
    {
        Assert.Equal(100, CompileBudget.AneDefaultLimit);
        Assert.Equal(119, CompileBudget.DefaultLimit);
        Assert.Equal(100, CompileBudget.ParseLimit(null, CompileBudget.AneDefaultLimit));
        Assert.Equal(100, CompileBudget.ParseLimit("  ", CompileBudget.AneDefaultLimit));
        Assert.Equal(7, CompileBudget.ParseLimit("7", CompileBudget.AneDefaultLimit));
        Assert.Throws<InvalidOperationException>(() => CompileBudget.ParseLimit("0", 100));
        Assert.Throws<InvalidOperationException>(() => CompileBudget.ParseLimit("many", 100));
    }

    [Fact]
    public void Budget_RefusesPastTheLimit_CitingR05()
    {
        var b = new CompileBudget(CompileBudget.AneDefaultLimit);
        for (int i = 0; i < CompileBudget.AneDefaultLimit; i++) b.Consume();
        var e = Assert.Throws<CompileBudgetExceededException>(b.Consume);
        Assert.StartsWith("R05", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, b.Remaining);
    }
}
