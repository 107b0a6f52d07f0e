// The HOCON syntax users rely on (HOCON.md "Syntax"): objects, dotted keys, separators, merging, lists, strings,
// comments, numbers and value concatenation.
using Orion.Engine.Config;
using Xunit;
using static Orion.Engine.Tests.Config.HoconAssert;

namespace Orion.Engine.Tests.Config;

public sealed class HoconSyntaxTests
{
    [Fact]
    public void Parse_NestedBracesAndDottedKeys_BuildTheSameTree()
    {
        var root = Parse("a { b { c = 1 } }\nx.y.z = 2\n");
        Assert.Equal("1", Text(root, "a.b.c"));
        Assert.Equal("2", Text(root, "x.y.z"));
        Assert.Equal(["b"], ((HoconObject)Get(root, "a")).Keys);
    }

    [Fact]
    public void Parse_RootBraces_AreOptional()
    {
        Assert.Equal("1", Text(Parse("{ a = 1 }"), "a"));
        Assert.Equal("1", Text(Parse("a = 1"), "a"));
        Assert.Equal(0, Parse("").Count);
    }

    [Fact]
    public void Parse_EqualsColonOrNothingBeforeBrace_AllSeparateKeyAndValue()
    {
        var root = Parse("a = 1\nb : 2\nc { d = 3 }\ne: { f: 4 }\n\"g\": 5");
        Assert.Equal("1", Text(root, "a"));
        Assert.Equal("2", Text(root, "b"));
        Assert.Equal("3", Text(root, "c.d"));
        Assert.Equal("4", Text(root, "e.f"));
        Assert.Equal("5", Text(root, "g"));
    }

    [Fact]
    public void Parse_JsonDocument_IsValidHocon()
    {
        var root = Parse("{\"a\": {\"b\": [1, 2.5, true, null, \"x\"]},\n \"c\":\n  -3e2}");
        Assert.Equal(["1", "2.5", "true", "null", "x"], Texts(root, "a.b"));
        Assert.Equal(HoconScalarKind.Number, Scalar(root, "c").Kind);
        Assert.Equal("-3e2", Text(root, "c"));
    }

    [Fact]
    public void Parse_RepeatedKey_LaterValueWinsAndObjectsMerge()
    {
        var root = Parse("a = 1\na = 2\no { x = 1, y = 1 }\no { y = 2, z = 3 }\no.w = 4");
        Assert.Equal("2", Text(root, "a"));
        Assert.Equal("1", Text(root, "o.x"));
        Assert.Equal("2", Text(root, "o.y"));
        Assert.Equal("3", Text(root, "o.z"));
        Assert.Equal("4", Text(root, "o.w"));
    }

    [Fact]
    public void Parse_NonObjectBetweenObjects_StopsTheMerge()
    {
        var root = Parse("foo { a = 42 }\nfoo = null\nfoo { b = 43 }");
        Assert.False(root.TryGet("foo.a", out _));
        Assert.Equal("43", Text(root, "foo.b"));
    }

    [Fact]
    public void Parse_Lists_AcceptCommasNewlinesAndOneTrailingComma()
    {
        var root = Parse("a = [1, 2, 3]\nb = [\n  1\n  2,\n  3,\n]\nc = []\nd = [[1], {x = 1}]");
        Assert.Equal(["1", "2", "3"], Texts(root, "a"));
        Assert.Equal(["1", "2", "3"], Texts(root, "b"));
        Assert.Empty(Texts(root, "c"));
        var d = Assert.IsType<HoconArray>(Get(root, "d"));
        Assert.IsType<HoconArray>(d.Items[0]);
        Assert.IsType<HoconObject>(d.Items[1]);
    }

    [Fact]
    public void Parse_QuotedString_DecodesJsonEscapes()
    {
        var root = Parse("s = \"tab\\there \\\"q\\\" \\\\ \\/ \\u00e9 \\n\"\nk.\"a.b\" = 1");
        Assert.Equal("tab\there \"q\" \\ / é \n", Text(root, "s"));
        Assert.Equal("1", Text(root, "k.\"a.b\""));
        Assert.True(((HoconObject)Get(root, "k")).TryGetField("a.b", out _));
    }

    [Fact]
    public void Parse_UnquotedStrings_KeepInnerWhitespaceAndTypedSingles()
    {
        var root = Parse("a = foo bar  baz   \nb = true\nc = true foo\nd = null\ne = 10.0.1\nf = -x");
        Assert.Equal("foo bar  baz", Text(root, "a"));
        Assert.Equal(HoconScalarKind.Boolean, Scalar(root, "b").Kind);
        Assert.Equal("true foo", Text(root, "c"));
        Assert.Equal(HoconScalarKind.String, Scalar(root, "c").Kind);
        Assert.Equal(HoconScalarKind.Null, Scalar(root, "d").Kind);
        Assert.Equal("10.0.1", Text(root, "e"));
        Assert.Equal("-x", Text(root, "f"));
    }

    [Fact]
    public void Parse_TripleQuotedString_IsRawAndSpansLines()
    {
        var root = Parse("s = \"\"\"line \\n one\n  \"two\"\"\"\"\nafter = 1");
        Assert.Equal("line \\n one\n  \"two\"", Text(root, "s"));
        Assert.Equal(3, Get(root, "after").Origin.Line);
    }

    [Fact]
    public void Parse_Comments_HashAndSlashesAreIgnoredOutsideQuotes()
    {
        var root = Parse("# top\na = 1 // trailing\n// whole line\nb = \"# not // a comment\" # yes\nc = x#y");
        Assert.Equal("1", Text(root, "a"));
        Assert.Equal("# not // a comment", Text(root, "b"));
        Assert.Equal("x", Text(root, "c"));
    }

    [Fact]
    public void Parse_NumberFollowedByText_ConcatenatesIntoString()
    {
        var root = Parse("a = 10s\nb = 250 ms\nc = 1E-08\nd = 64MiB");
        Assert.Equal("10s", Text(root, "a"));
        Assert.Equal("250 ms", Text(root, "b"));
        Assert.Equal(HoconScalarKind.Number, Scalar(root, "c").Kind);
        Assert.Equal("1E-08", Text(root, "c"));
        Assert.Equal("64MiB", Text(root, "d"));
    }

    [Fact]
    public void Parse_QuotedAndUnquotedParts_ConcatenateWithWhitespace()
    {
        var root = Parse("a = \"/home\"/runs\nb = x \"y\" z");
        Assert.Equal("/home/runs", Text(root, "a"));
        Assert.Equal("x y z", Text(root, "b"));
    }

    [Fact]
    public void Parse_ListsAndObjectsSideBySide_Concatenate()
    {
        var root = Parse("a = [1, 2] [3]\nb = { x = 1 } { y = 2 }");
        Assert.Equal(["1", "2", "3"], Texts(root, "a"));
        Assert.Equal("1", Text(root, "b.x"));
        Assert.Equal("2", Text(root, "b.y"));
    }

    [Fact]
    public void Parse_PlusEquals_AppendsToList()
    {
        var root = Parse("a = [1]\na += 2\na += 3\nb += x");
        Assert.Equal(["1", "2", "3"], Texts(root, "a"));
        Assert.Equal(["x"], Texts(root, "b"));
    }

    [Fact]
    public void Parse_Values_RememberFileAndLine()
    {
        var root = HoconParser.Parse("a = 1\n\nb {\n  c = [\n    x\n  ]\n}", "w.conf");
        Assert.Equal(new HoconOrigin("w.conf", 1), Get(root, "a").Origin);
        Assert.Equal(3, Get(root, "b").Origin.Line);
        Assert.Equal(4, Get(root, "b.c").Origin.Line);
        Assert.Equal(5, ((HoconArray)Get(root, "b.c")).Items[0].Origin.Line);
    }

    [Fact]
    public void Parse_KeysWithSpacesAndNumbers_FollowPathRules()
    {
        var root = Parse("a b c = 1\n10.0foo = 2\ntrue = 3");
        Assert.True(root.TryGetField("a b c", out _));
        Assert.Equal("2", Text(root, "10.0foo"));
        Assert.True(((HoconObject)Get(root, "10")).TryGetField("0foo", out _));
        Assert.Equal("3", Text(root, "\"true\""));
    }

    [Fact]
    public void Parse_CrLfLineEndings_Work()
    {
        var root = Parse("a = 1\r\nb = [\r\n 1\r\n 2\r\n]\r\n");
        Assert.Equal("1", Text(root, "a"));
        Assert.Equal(["1", "2"], Texts(root, "b"));
    }

    private static HoconValue Get(HoconObject root, string path)
    {
        Assert.True(root.TryGet(path, out var value), $"'{path}' is missing");
        return value;
    }
}
