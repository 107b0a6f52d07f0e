// Akka's HOCON parser reads what it does not understand without a word (an unclosed brace, a key with no value),
// turns ${?NAME} into an empty value and overflows the stack on a substitution cycle. HoconFile stands in front of
// it: each of those stops the command naming file and line, and what Akka does parse comes through unchanged.
using Orion.Actors.Configuration;
using Orion.TestKit.Cluster;
using Xunit;

namespace Orion.Actors.Tests.Configuration;

public sealed class HoconFileTests : IDisposable
{
    private readonly TempFolder _dir = new("orion-hocon");

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string text)
    {
        var path = _dir.At(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private ConfigException Fails(string text, int line)
    {
        var path = Write("t.conf", text);
        var e = Assert.Throws<ConfigException>(() => HoconFile.Load(path));
        Assert.Equal(line, e.Line);
        Assert.Contains($":{line}", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("t.conf", e.File, StringComparison.Ordinal);
        return e;
    }

    [Theory]
    [InlineData("a = 1\nb = \"open", 2, "not closed")]
    [InlineData("a = 1\n\nb = \"\"\"never", 3, "never closed")]
    [InlineData("a {\n  b = 1\n", 1, "never closed")]
    [InlineData("a = 1\n}", 2, "closes nothing")]
    [InlineData("a = [1,\n2", 1, "never closed")]
    [InlineData("a = [1 }", 1, "closes the '['")]
    [InlineData("x = 1\nkey =", 2, "no value")]
    [InlineData("a {\n  b =\n  c = 1\n}", 2, "no value")]
    [InlineData("a { b = }", 1, "no value")]
    [InlineData("a = 1\nb = ${?HOME}", 2, "${?...} is not supported")]
    [InlineData("include file(\"x.conf\")", 1, "quoted path")]
    [InlineData("a = 1\nb = 2\nc { d = 3 }, e = 4", 3, "Akka's HOCON parser")]
    public void Load_TextAkkaWouldMisread_FailsNamingFileAndLine(string text, int line, string hint)
    {
        var e = Fails(text, line);
        Assert.Contains(hint, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = ${b}\nb = ${a}")]
    [InlineData("a = x\na = ${a}\"y\"")]
    [InlineData("o { p = ${o} }")]
    public void Load_SubstitutionCycle_FailsInsteadOfOverflowingTheStack(string text)
    {
        var path = Write("cycle.conf", text);
        var e = Assert.Throws<ConfigException>(() => HoconFile.Load(path));
        Assert.Contains("refers back to itself", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnresolvedSubstitution_NamesIt()
    {
        var path = Write("u.conf", "a = ${orion.nowhere}");
        var e = Assert.Throws<ConfigException>(() => HoconFile.Load(path));
        Assert.Contains("orion.nowhere", e.Message, StringComparison.Ordinal);
        Assert.Contains("u.conf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ValidHocon_ParsesAsAkkaDoes()
    {
        var path = Write("ok.conf", """"
            # comments both ways
            orion {
              training { steps = 3, batch = 2 }   // commas between fields
              run.dir = "runs/x"
              coordinator.listen = "0.0.0.0:7070"
              run.journal = "postgres:Host=db;Database=orion"
            }
            orion.training.steps = 5
            copy = ${orion.training.batch}
            text = """a "quoted" {word}"""
            """");
        var c = HoconFile.Load(path).Config;
        Assert.Equal(5, c.GetInt("orion.training.steps"));
        Assert.Equal(2, c.GetInt("copy"));
        Assert.Equal("runs/x", c.GetString("orion.run.dir"));
        Assert.Equal("postgres:Host=db;Database=orion", c.GetString("orion.run.journal"));
        Assert.Equal("a \"quoted\" {word}", c.GetString("text"));
    }

    [Fact]
    public void Load_Include_ResolvesRelativeToTheIncludingFile()
    {
        Write("conf/common/base.conf", "orion.training { steps = 7, batch = 3 }\ninclude \"deeper.conf\"");
        Write("conf/common/deeper.conf", "orion.cluster.workers = 4");
        var main = Write("conf/main.conf", "include \"common/base.conf\"\norion.training.batch = 9");
        var file = HoconFile.Load(main);
        Assert.Equal(7, file.Config.GetInt("orion.training.steps"));
        Assert.Equal(9, file.Config.GetInt("orion.training.batch")); // the including file's later value wins
        Assert.Equal(4, file.Config.GetInt("orion.cluster.workers"));
        Assert.Equal(3, file.Files.Count());
    }

    [Fact]
    public void Load_IncludeOfMissingFile_NamesThePath()
    {
        var main = Write("m.conf", "include \"nope.conf\"");
        var e = Assert.Throws<ConfigException>(() => HoconFile.Load(main));
        Assert.Contains(Path.Combine(_dir.Path, "nope.conf"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IncludeCycle_Fails()
    {
        Write("a.conf", "include \"b.conf\"");
        Write("b.conf", "include \"a.conf\"");
        var e = Assert.Throws<ConfigException>(() => HoconFile.Load(_dir.At("a.conf")));
        Assert.Contains("includes itself", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadSyntaxInAnIncludedFile_NamesThatFile()
    {
        Write("inc.conf", "x = 1\ny {");
        var main = Write("main.conf", "include \"inc.conf\"");
        var e = Assert.Throws<ConfigException>(() => HoconFile.Load(main));
        Assert.EndsWith("inc.conf", e.File, StringComparison.Ordinal);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Locate_FindsTheLineThatSetsAKey()
    {
        var path = Write("l.conf", "orion {\n  training {\n    steps = 5\n  }\n}\norion.training.steps = 6\n");
        var at = HoconFile.Load(path).Locate("orion.training.steps", out var file, out var line);
        Assert.Equal(6, line);
        Assert.EndsWith("l.conf:6", at, StringComparison.Ordinal);
        Assert.EndsWith("l.conf", file, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_NamesThePath()
    {
        var e = Assert.Throws<ConfigException>(() => HoconFile.Load("/nonexistent/orion/worker.conf"));
        Assert.Contains("/nonexistent/orion/worker.conf", e.Message, StringComparison.Ordinal);
    }
}
