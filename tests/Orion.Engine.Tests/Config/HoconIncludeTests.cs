// include "file" (HOCON.md "Includes"): relative to the including file, merged in place, substitutions fixed up to
// the include point; a missing file or an include cycle fails naming the include line.
using Orion.Engine.Config;
using Xunit;
using static Orion.Engine.Tests.Config.HoconAssert;

namespace Orion.Engine.Tests.Config;

public sealed class HoconIncludeTests
{
    [Fact]
    public void ParseFile_Include_MergesInPlaceSoLaterKeysWin()
    {
        using var dir = new TempConfigDir();
        dir.Write("common.conf", "a = 1\nb = 1\nnested { x = 1 }");
        var main = dir.Write("main.conf", "a = 0\ninclude \"common.conf\"\nb = 2\nnested { y = 2 }");
        var root = HoconParser.ParseFile(main, _ => null);
        Assert.Equal("1", Text(root, "a"));
        Assert.Equal("2", Text(root, "b"));
        Assert.Equal("1", Text(root, "nested.x"));
        Assert.Equal("2", Text(root, "nested.y"));
    }

    [Fact]
    public void ParseFile_Include_IsRelativeToTheIncludingFileNotTheWorkingFolder()
    {
        using var dir = new TempConfigDir();
        dir.Write("conf/sub/leaf.conf", "leaf = yes");
        dir.Write("conf/sub/mid.conf", "include \"leaf.conf\"\nmid = 1");
        var main = dir.Write("conf/main.conf", "include \"sub/mid.conf\"");
        var root = HoconParser.ParseFile(main, _ => null);
        Assert.Equal("yes", Text(root, "leaf"));
        Assert.Equal("1", Text(root, "mid"));
    }

    [Fact]
    public void ParseFile_IncludeRequiredAndFileForms_AreAccepted()
    {
        using var dir = new TempConfigDir();
        dir.Write("a.conf", "a = 1");
        dir.Write("b.conf", "b = 2");
        dir.Write("c.conf", "c = 3");
        var main = dir.Write("main.conf", "include required(\"a.conf\")\ninclude file( \"b.conf\" )\ninclude required(file(\"c.conf\"))");
        var root = HoconParser.ParseFile(main, _ => null);
        Assert.Equal(["a", "b", "c"], root.Keys);
    }

    [Fact]
    public void ParseFile_IncludeInsideObject_NestsAndFixesUpSubstitutions()
    {
        using var dir = new TempConfigDir();
        dir.Write("link.conf", "port = 7000\nendpoint = \"host:\"${port}");
        var main = dir.Write("main.conf", "links { include \"link.conf\" }\nlinks.port = 7100");
        var root = HoconParser.ParseFile(main, _ => null);
        Assert.Equal("7100", Text(root, "links.port"));
        Assert.Equal("host:7100", Text(root, "links.endpoint"));
    }

    [Fact]
    public void ParseFile_IncludedValue_RemembersItsOwnFileAndLine()
    {
        using var dir = new TempConfigDir();
        dir.Write("common.conf", "\n\nx = 1");
        var main = dir.Write("main.conf", "include \"common.conf\"");
        Assert.True(HoconParser.ParseFile(main, _ => null).TryGet("x", out var x));
        Assert.EndsWith("common.conf", x.Origin.File, StringComparison.Ordinal);
        Assert.Equal(3, x.Origin.Line);
    }

    [Fact]
    public void ParseFile_MissingInclude_FailsNamingTheIncludeLine()
    {
        using var dir = new TempConfigDir();
        var main = dir.Write("main.conf", "a = 1\n\ninclude \"nope.conf\"");
        var e = FailsAt("main.conf", 3, () => HoconParser.ParseFile(main, _ => null));
        Assert.Contains("nope.conf", e.Message, StringComparison.Ordinal);
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_IncludeCycle_Fails()
    {
        using var dir = new TempConfigDir();
        dir.Write("a.conf", "include \"b.conf\"");
        dir.Write("b.conf", "x = 1\ninclude \"a.conf\"");
        var e = FailsAt("b.conf", 2, () => HoconParser.ParseFile(Path.Combine(dir.Root, "a.conf"), _ => null));
        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_ErrorInIncludedFile_NamesThatFile()
    {
        using var dir = new TempConfigDir();
        dir.Write("bad.conf", "ok = 1\nbroken = [1,,2]");
        var main = dir.Write("main.conf", "include \"bad.conf\"");
        FailsAt("bad.conf", 2, () => HoconParser.ParseFile(main, _ => null));
    }

    [Fact]
    public void Parse_TextWithBaseDirectory_ResolvesRelativeIncludes()
    {
        using var dir = new TempConfigDir();
        dir.Write("x.conf", "x = 1");
        var root = HoconParser.Parse("include \"x.conf\"", "--config", _ => null, dir.Root);
        Assert.Equal("1", Text(root, "x"));
    }

    [Fact]
    public void ParseFile_IncludedSubstitutionNotUnderPrefix_FallsBackToRootPath()
    {
        using var dir = new TempConfigDir();
        dir.Write("link.conf", "host = ${cluster.host}\nlog += link");
        var main = dir.Write("main.conf", "cluster.host = h1\nlinks { log = [start]\ninclude \"link.conf\" }");
        var root = HoconParser.ParseFile(main, _ => null);
        Assert.Equal("h1", Text(root, "links.host"));
        Assert.Equal(["start", "link"], Texts(root, "links.log"));
    }
}
