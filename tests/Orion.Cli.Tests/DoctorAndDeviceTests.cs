// `orion doctor` off a Mac, and `--device` / `--delta-patch` on `orion mil run` (cli-contract.md).
using Xunit;

namespace Orion.Cli.Tests;

public sealed class DoctorAndDeviceTests
{
    [Fact]
    public void Doctor_OffAMac_SaysWhatItCheckedAndWhatNeedsAMac()
    {
        if (OperatingSystem.IsMacOS()) return; // on a Mac the report covers the real device instead
        var r = Cli.Ok("doctor");
        Assert.Contains("[ok] conv-2 vs float64 reference", r.Out, StringComparison.Ordinal);
        Assert.Contains("[ok] probe self-test", r.Out, StringComparison.Ordinal);
        Assert.Contains("## needs a Mac", r.Out, StringComparison.Ordinal);
        Assert.Contains("[skip] delta patch variant: ", r.Out, StringComparison.Ordinal);
        Assert.Contains("result: ok", r.Out, StringComparison.Ordinal);
        Assert.Equal("", r.Err);
    }

    [Fact]
    public void MilRun_DeviceAneOffAMac_ClearErrorNamingTheEmulator()
    {
        if (OperatingSystem.IsMacOS()) return;
        using var tmp = new TempDir();
        var program = Cli.Compile("rmsnorm", tmp.At("c"));
        var x = TestData.WriteNpy(tmp.At("x.npy"), TestData.Shape64);
        var r = Cli.Run("mil", "run", "--program", program, "--input", "x=" + x, "--out", tmp.At("o"), "--device", "ane");
        Cli.AssertUserError(r, "--device ane needs the Apple Neural Engine", "not a Mac", "--device emulated");
        Assert.False(Directory.Exists(tmp.At("o")));
    }

    [Fact]
    public void MilRun_DeviceAuto_SaysWhichDeviceAndWhy()
    {
        using var tmp = new TempDir();
        var program = Cli.Compile("rmsnorm", tmp.At("c"));
        var x = TestData.WriteNpy(tmp.At("x.npy"), TestData.Shape64);
        var r = Cli.Run("mil", "run", "--program", program, "--input", "x=" + x, "--out", tmp.At("o"), "--device", "auto");
        if (OperatingSystem.IsMacOS()) return; // there auto may pick the ANE
        Assert.Equal(0, r.Exit);
        Assert.StartsWith("orion: device: emulated (auto: this machine is not a Mac", r.Err, StringComparison.Ordinal);
        Assert.True(File.Exists(tmp.At("o", "y.npy")));
    }

    [Fact]
    public void MilRun_DefaultDevice_EmulatorWithoutComment()
    {
        using var tmp = new TempDir();
        var program = Cli.Compile("rmsnorm", tmp.At("c"));
        var x = TestData.WriteNpy(tmp.At("x.npy"), TestData.Shape64);
        var r = Cli.Ok("mil", "run", "--program", program, "--input", "x=" + x, "--out", tmp.At("o"));
        Assert.Equal("", r.Err);
    }

    [Theory]
    [InlineData("--device", "gpu", "'gpu' is not a device")]
    [InlineData("--delta-patch", "rename", "'rename' is not a variant")]
    public void MilRun_UnknownDeviceOrPatchVariant_UserError(string flag, string value, string mention)
    {
        using var tmp = new TempDir();
        var program = Cli.Compile("rmsnorm", tmp.At("c"));
        var x = TestData.WriteNpy(tmp.At("x.npy"), TestData.Shape64);
        var r = Cli.Run("mil", "run", "--program", program, "--input", "x=" + x, "--out", tmp.At("o"), flag, value);
        Cli.AssertUserError(r, mention);
    }
}
