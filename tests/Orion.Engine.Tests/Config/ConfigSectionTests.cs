// ConfigSection binds settings at start: typed getters, optional getters for command-line overrides, errors that name
// key, value, file, line and what was expected, and unknown-key detection for what the user wrote.
using Orion.Engine.Config;
using Xunit;
using static Orion.Engine.Tests.Config.HoconAssert;

namespace Orion.Engine.Tests.Config;

public sealed class ConfigSectionTests
{
    private const string Reference = """
        orion.training {
          steps = 1000
          batch = 4
          heartbeat-interval = 5s
          max-frame = 64MiB
          journal = sqlite
          resume = true
          lr = 0.003
          tags = [a, b]
          links { port = 7000 }
        }
        """;

    private static HoconObject UserOver(string user) =>
        HoconParser.Parse(user, "worker.conf", _ => null).WithFallback(HoconParser.Parse(Reference, "reference.conf", _ => null));

    [Fact]
    public void Getters_TypedValues_ReadUserOverDefaults()
    {
        var s = new ConfigSection(UserOver("orion.training.steps = 20\norion.training.links.port = 7100"), "orion.training");
        Assert.Equal("orion.training", s.Path);
        Assert.Equal(20, s.GetInt("steps"));
        Assert.Equal(4L, s.GetLong("batch"));
        Assert.Equal(TimeSpan.FromSeconds(5), s.GetDuration("heartbeat-interval"));
        Assert.Equal(64L << 20, s.GetBytes("max-frame"));
        Assert.Equal("sqlite", s.GetString("journal"));
        Assert.True(s.GetBool("resume"));
        Assert.Equal(0.003, s.GetDouble("lr"));
        Assert.Equal(0.003f, s.GetFloat("lr"));
        Assert.Equal(["a", "b"], s.GetStringList("tags"));
        Assert.Equal(7100, s.Section("links").GetInt("port"));
        s.EnsureNoUnknownKeys();
    }

    [Fact]
    public void OrNullGetters_MissingOrNull_ReturnNullSoFlagsCanOverride()
    {
        var s = new ConfigSection(Parse("a = null\nb = 3\nc = 2s\nd = yes"), "");
        Assert.Null(s.GetIntOrNull("a"));
        Assert.Null(s.GetIntOrNull("missing"));
        Assert.Equal(3, s.GetIntOrNull("b"));
        Assert.Equal(3L, s.GetLongOrNull("b"));
        Assert.Equal(3.0, s.GetDoubleOrNull("b"));
        Assert.Equal(3f, s.GetFloatOrNull("b"));
        Assert.Equal(TimeSpan.FromSeconds(2), s.GetDurationOrNull("c"));
        Assert.Equal(3L, s.GetBytesOrNull("b"));
        Assert.True(s.GetBoolOrNull("d"));
        Assert.Null(s.GetStringOrNull("missing"));
        Assert.Null(s.GetStringListOrNull("missing"));
        Assert.Null(s.GetBoolOrNull("a"));
        Assert.False(s.Has("a"));
        Assert.True(s.Has("b"));
    }

    [Fact]
    public void GetString_NumberOrBoolean_GivesTextAsWritten()
    {
        var s = new ConfigSection(Parse("n = 1E-08\nb = false"), "");
        Assert.Equal("1E-08", s.GetString("n"));
        Assert.Equal("false", s.GetString("b"));
    }

    [Theory]
    [InlineData("x = abc", "GetInt", "\"abc\" is not a number", "an integer")]
    [InlineData("x = 2147483648", "GetInt", "2147483648 is out of range", "-2147483648 to 2147483647")]
    [InlineData("x = 1.5", "GetInt", "1.5 is not a whole number", "an integer")]
    [InlineData("x = 99999999999999999999", "GetLong", "is out of range", "an integer")]
    [InlineData("x = -64MiB", "GetBytes", "\"-64MiB\" is negative", "a size")]
    [InlineData("x = -1", "GetBytes", "-1 is negative", "a size")]
    [InlineData("x = 10 sec", "GetDuration", "has unknown unit 'sec'", "a duration")]
    [InlineData("x = soon", "GetDuration", "has no number", "a duration")]
    [InlineData("x = maybe", "GetBool", "\"maybe\" is not a boolean", "true or false")]
    [InlineData("x = [1]", "GetString", "is a list", "a string")]
    [InlineData("x { y = 1 }", "GetInt", "is an object", "an integer")]
    [InlineData("x = null", "GetString", "null", "a string")]
    [InlineData("x = [1, [2]]", "GetStringList", "element 1", "a list of strings")]
    [InlineData("x = 1e39", "GetFloat", "out of range", "float range")]
    public void Getters_BadValue_NameKeyValueFileLineAndExpectation(string text, string getter, string problem, string expected)
    {
        var s = new ConfigSection(HoconParser.Parse("ok = 1\n" + text, "worker.conf", _ => null), "");
        var e = FailsAt("worker.conf", 2, () => Call(s, getter));
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Contains("; expected ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message[e.Message.IndexOf("; expected ", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public void GetIntOrNull_BadValue_StillThrows()
    {
        var s = new ConfigSection(HoconParser.Parse("a.x = big", "worker.conf", _ => null), "a");
        var e = FailsAt("worker.conf", 1, () => s.GetIntOrNull("x"));
        Assert.Contains("'a.x'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetInt_MissingKey_NamesTheFullKey()
    {
        var s = new ConfigSection(Parse("a { }"), "a");
        var e = Assert.Throws<ConfigException>(() => s.GetInt("steps"));
        Assert.Contains("missing setting 'a.steps'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Section_NotAnObject_FailsAtLine()
    {
        var root = HoconParser.Parse("orion = 1\norion = 2", "worker.conf", _ => null);
        var e = FailsAt("worker.conf", 2, () => _ = new ConfigSection(root, "orion.training"));
        Assert.Contains("expected an object", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureNoUnknownKeys_MisspeltUserKey_NamesPathFileLineAndSuggestion()
    {
        var s = new ConfigSection(UserOver("orion.training {\n  batch = 8\n  stpes = 20\n}"), "orion.training");
        s.GetInt("steps");
        s.GetInt("batch");
        var e = FailsAt("worker.conf", 3, s.EnsureNoUnknownKeys);
        Assert.Contains("unknown key 'orion.training.stpes' at worker.conf:3", e.Message, StringComparison.Ordinal);
        Assert.Contains("known keys here: steps, batch,", e.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'steps'?", e.Message, StringComparison.Ordinal);
        Assert.Contains("check the spelling", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureNoUnknownKeys_UnreadDefaults_AreNotReported()
    {
        var s = new ConfigSection(UserOver("orion.training.steps = 5"), "orion.training");
        s.GetInt("steps");
        s.EnsureNoUnknownKeys();
    }

    [Fact]
    public void EnsureNoUnknownKeys_UnknownKeyInSubsection_IsReported()
    {
        var s = new ConfigSection(UserOver("orion.training.links { port = 1, prot = 2 }"), "orion.training");
        Assert.Equal(1, s.Section("links").GetInt("port"));
        var e = FailsAt("worker.conf", 1, s.EnsureNoUnknownKeys);
        Assert.Contains("'orion.training.links.prot'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureNoUnknownKeys_UnreadUserSubsection_IsReportedWhole()
    {
        var s = new ConfigSection(UserOver("orion.training.extra { a = 1 }"), "orion.training");
        var e = FailsAt("worker.conf", 1, s.EnsureNoUnknownKeys);
        Assert.Contains("'orion.training.extra'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigSection_UnresolvedRoot_IsResolvedOnConstruction()
    {
        var user = HoconParser.Parse("a.steps = ${base}", "u.conf", _ => null, resolve: false);
        var s = new ConfigSection(user.WithFallback(Parse("base = 3")), "a");
        Assert.Equal(3, s.GetInt("steps"));
    }

    private static void Call(ConfigSection s, string getter)
    {
        _ = getter switch
        {
            "GetInt" => (object)s.GetInt("x"),
            "GetLong" => s.GetLong("x"),
            "GetBytes" => s.GetBytes("x"),
            "GetDuration" => s.GetDuration("x"),
            "GetBool" => s.GetBool("x"),
            "GetString" => s.GetString("x"),
            "GetStringList" => s.GetStringList("x"),
            "GetFloat" => s.GetFloat("x"),
            _ => throw new ArgumentException(getter, nameof(getter)),
        };
    }

    [Fact]
    public void GetInt_NumericStringsAndExponents_Convert()
    {
        var s = new ConfigSection(Parse("a = \"42\"\nb = 1e3\nc = -7\nd = off"), "");
        Assert.Equal(42, s.GetInt("a"));
        Assert.Equal(1000, s.GetInt("b"));
        Assert.Equal(-7, s.GetInt("c"));
        Assert.False(s.GetBool("d"));
    }
}
