// The typed getters: a wrong value names key, file and line, what it is and what was expected; Akka's getters would
// say "The input string 'soon' was not in a correct format" or throw ArgumentNullException for an object.
using Orion.Actors.Configuration;
using Orion.TestKit.Cluster;
using Xunit;

namespace Orion.Actors.Tests.Configuration;

public sealed class ConfigSectionTests : IDisposable
{
    private readonly TempFolder _dir = new("orion-settings");

    public void Dispose() => _dir.Dispose();

    private ConfigSection Section(string text, string path = "s")
    {
        var file = _dir.At("v.conf");
        File.WriteAllText(file, text);
        var loaded = HoconFile.Load(file);
        return new ConfigSection(loaded.Config, path, loaded);
    }

    [Fact]
    public void Getters_GoodValues_Convert()
    {
        var s = Section("s {\n i = -3\n l = 9000000000\n f = 1E-08\n b = on\n d = 250ms\n m = 10m\n z = 48KiB\n t = \"x\"\n e = \"\"\n n = null\n list = [a, \"b\"]\n none = []\n}");
        Assert.Equal(-3, s.GetInt("i"));
        Assert.Equal(9_000_000_000L, s.GetLong("l"));
        Assert.Equal(1e-8f, s.GetFloat("f"));
        Assert.True(s.GetBool("b"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.GetDuration("d"));
        Assert.Equal(TimeSpan.FromMinutes(10), s.GetDuration("m"));
        Assert.Equal(48 * 1024, s.GetBytes("z"));
        Assert.Equal("x", s.GetString("t"));
        Assert.Null(s.GetStringOrNull("e"));
        Assert.Null(s.GetStringOrNull("n"));
        Assert.Null(s.GetIntOrNull("missing"));
        Assert.Equal(["a", "b"], s.GetStringListOrNull("list"));
        Assert.Empty(s.GetStringListOrNull("none")!);
        Assert.Throws<ConfigException>(() => s.GetStringListOrNull("i"));
    }

    [Theory]
    [InlineData("s {\n  i = abc\n}", "i", 2, "'abc'", "an integer")]
    [InlineData("s.i = 99999999999", "i", 1, "'99999999999'", "an integer from")]
    [InlineData("s.i = 1.5", "i", 1, "'1.5'", "an integer")]
    [InlineData("s.i { x = 1 }", "i", 1, "an object", "a single value")]
    [InlineData("s.i = [1, 2]", "i", 1, "a list", "a single value")]
    [InlineData("s.f = 1e300", "f", 1, "'1e300'", "float range")]
    [InlineData("s.b = maybe", "b", 1, "'maybe'", "true or false")]
    [InlineData("s.d = soon", "d", 1, "'soon'", "a duration")]
    [InlineData("s.d = -5s", "d", 1, "'-5s'", "a duration")]
    [InlineData("s.z = 48Kix", "z", 1, "'48Kix'", "a size")]
    public void Getters_WrongValue_NameKeyFileLineAndExpected(string text, string key, int line, string shown, string expected)
    {
        var s = Section(text);
        var e = Assert.Throws<ConfigException>(() =>
        {
            _ = key switch
            {
                "i" => (object?)s.GetIntOrNull(key),
                "f" => s.GetFloatOrNull(key),
                "b" => s.GetBoolOrNull(key),
                "d" => s.GetDurationOrNull(key),
                _ => s.GetBytesOrNull(key),
            };
        });
        Assert.Contains($"'s.{key}'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"v.conf:{line}", e.Message, StringComparison.Ordinal);
        Assert.Contains(shown, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Equal(line, e.Line);
    }

    [Fact]
    public void Section_ScalarWhereAnObjectBelongs_Fails()
    {
        var e = Assert.Throws<ConfigException>(() => Section("s = 5"));
        Assert.Contains("expected an object", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Required_Missing_SaysSo()
    {
        var e = Assert.Throws<ConfigException>(() => Section("s.a = 1").GetInt("b"));
        Assert.Contains("missing setting 's.b'", e.Message, StringComparison.Ordinal);
    }
}
