// Fingerprint parsing: chip from the CPU brand string and aneSubType, profile per generation, OS build from kern.osversion.
using Orion.Engine.Ane.Apple;
using Orion.Engine.Restrictions;
using Xunit;

namespace Orion.Engine.Tests.Ane.Apple;

public sealed class AppleChipTests
{
    [Theory]
    [InlineData("Apple M1", "h13", 1, "", "m1/h13", "m1")]
    [InlineData("Apple M2 Ultra", "h14", 2, "Ultra", "m2-ultra/h14", "m1")]
    [InlineData("Apple M3 Pro", "h15", 3, "Pro", "m3-pro/h15", "m3")]
    [InlineData("Apple M4 Max", "h16", 4, "Max", "m4-max/h16", "m4")]
    [InlineData("Apple M4", "H16G", 4, "", "m4/h16g", "m4")]
    [InlineData("Apple M5", "h16", 5, "", "m5/h16", "m5")]
    [InlineData("Apple M12 Pro", "", 12, "Pro", "m12-pro/unknown", "m5")]
    public void Parse_BrandString(string brand, string sub, int gen, string tier, string id, string profile)
    {
        var chip = AppleChip.Parse(brand, sub);
        Assert.Equal(gen, chip.Generation);
        Assert.Equal(tier, chip.Tier);
        Assert.Equal(id, chip.Id);
        Assert.Equal(profile, chip.Profile.Name);
        Assert.False(chip.IsVirtualMachine);
    }

    [Fact]
    public void Parse_VirtualMachineBrand_Flagged()
    {
        var chip = AppleChip.Parse("Apple M1 (Virtual)", "");
        Assert.True(chip.IsVirtualMachine);
        Assert.Equal(1, chip.Generation);
    }

    [Theory]
    [InlineData("h13", 1)]
    [InlineData("h14", 2)]
    [InlineData("h15", 3)]
    [InlineData("h16", 4)]
    [InlineData("h17", 0)]
    [InlineData("", 0)]
    [InlineData("x16", 0)]
    public void GenerationFromSubType(string sub, int gen) => Assert.Equal(gen, AppleChip.GenerationFromSubType(sub));

    [Fact]
    public void Parse_NoBrandString_FallsBackToSubType()
    {
        var chip = AppleChip.Parse(null, "h15");
        Assert.Equal(3, chip.Generation);
        Assert.Equal("m3/h15", chip.Id);
    }

    [Fact]
    public void Parse_NothingKnown_DefaultProfileAndUnknownId()
    {
        var chip = AppleChip.Parse("Intel(R) Core(TM) i9", null);
        Assert.Equal(0, chip.Generation);
        Assert.Equal("unknown/unknown", chip.Id);
        Assert.Same(ChipProfile.Default, chip.Profile);
    }

    [Theory]
    [InlineData("24B83", "24B83")]
    [InlineData("24B83\0", "24B83")]
    [InlineData(" 23H222\n", "23H222")]
    [InlineData("25A5279m", "25A5279m")]
    public void OsBuild_Parsed(string raw, string build) => Assert.Equal(build, OsBuild.Parse(raw));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\0")]
    [InlineData("24 B83")]
    [InlineData("24B83/../x")]
    public void OsBuild_EmptyOrOdd_RefusedWithReason(string? raw)
    {
        var e = Assert.Throws<InvalidOperationException>(() => OsBuild.Parse(raw));
        Assert.Contains("kern.osversion", e.Message, StringComparison.Ordinal);
    }
}
