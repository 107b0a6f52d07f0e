// Every syntax error names file and line and says what to do (style.md: what failed, what was expected, a hint).
using Orion.Engine.Config;
using Xunit;
using static Orion.Engine.Tests.Config.HoconAssert;

namespace Orion.Engine.Tests.Config;

public sealed class HoconSyntaxErrorTests
{
    [Theory]
    [InlineData("a = 1\nb = \"open", 2, "not closed")]
    [InlineData("a = 1\n\nb = \"\"\"never", 3, "never closed")]
    [InlineData("a {\n  b = 1\n", 1, "never closed")]
    [InlineData("a = 1\n}", 2, "closes nothing")]
    [InlineData("a = [1,\n2", 1, "never closed")]
    [InlineData("a = [1,,2]", 1, "two commas")]
    [InlineData("a = 1,,\nb = 2", 1, "two commas")]
    [InlineData("a = [,1]", 1, "unexpected ','")]
    [InlineData("x = 1\nkey", 2, "key 'key' has no value")]
    [InlineData("x = 1\nkey =", 2, "has no value")]
    [InlineData("a = 1\nurl = http://host:80", 2, "quote values")]
    [InlineData("a = b!c", 1, "reserved")]
    [InlineData("a..b = 1", 1, "empty element")]
    [InlineData("a. = 1", 1, "ends with '.'")]
    [InlineData("${x} = 1", 1, "cannot be part of a key")]
    [InlineData("a = ${x", 1, "not closed")]
    [InlineData("a = 1\nb = ${x!y}", 2, "bad path in ${x!y}")]
    [InlineData("a = ${x..y}", 1, "bad path in ${x..y}")]
    [InlineData("a = \"\\q\"", 1, "unknown escape")]
    [InlineData("[1, 2]", 1, "holds a list")]
    [InlineData("{ a = 1 }\nb = 2", 2, "after the '}'")]
    [InlineData("a = 1 b = 2", 1, "unexpected '='")]
    [InlineData("include foo", 1, "quoted file name")]
    public void Parse_BadSyntax_FailsNamingFileAndLine(string text, int line, string hint)
    {
        var e = FailsAt("t.conf", line, () => Parse(text));
        Assert.Contains(hint, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IncludeWithoutBaseDirectory_FailsWithHint()
    {
        var e = FailsAt("t.conf", 1, () => Parse("include \"x.conf\""));
        Assert.Contains("baseDirectory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_MissingFile_NamesThePath()
    {
        var e = Assert.Throws<ConfigException>(() => HoconParser.ParseFile("/nonexistent/orion/worker.conf"));
        Assert.Contains("/nonexistent/orion/worker.conf", e.Message, StringComparison.Ordinal);
    }
}
