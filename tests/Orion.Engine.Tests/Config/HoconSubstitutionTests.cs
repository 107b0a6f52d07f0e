// Substitutions (HOCON.md "Substitutions"): config paths first, then the injected environment; optional ones that
// find nothing remove their field; self-references read the earlier value; missing and cyclic ones fail at file:line.
using Orion.Engine.Config;
using Xunit;
using static Orion.Engine.Tests.Config.HoconAssert;

namespace Orion.Engine.Tests.Config;

public sealed class HoconSubstitutionTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Resolve_PathSubstitution_KeepsTheValueType()
    {
        var root = Parse("a.b = 5\nc = ${a.b}\nd = ${a}\ne = [${a.b}]");
        Assert.Equal(HoconScalarKind.Number, Scalar(root, "c").Kind);
        Assert.Equal("5", Text(root, "d.b"));
        Assert.Equal(["5"], Texts(root, "e"));
    }

    [Fact]
    public void Resolve_SubstitutionLooksForward_AndSeesTheLastValue()
    {
        var root = Parse("a = ${b}\nb = 1\nb = 2");
        Assert.Equal("2", Text(root, "a"));
    }

    [Fact]
    public void Resolve_ReferenceInsideOwnObject_IsNotACycle()
    {
        var root = Parse("bar { foo = 42, baz = ${bar.foo} }");
        Assert.Equal("42", Text(root, "bar.baz"));
    }

    [Fact]
    public void Resolve_EnvironmentFallback_UsesInjectedLookup()
    {
        var root = Parse("path = ${HOME}\"/runs\"\nuser = ${USER}", Env(("HOME", "/home/ann"), ("USER", "ann")));
        Assert.Equal("/home/ann/runs", Text(root, "path"));
        Assert.Equal("ann", Text(root, "user"));
    }

    [Fact]
    public void Resolve_ConfigPath_WinsOverEnvironment()
    {
        var root = Parse("HOME = /from/config\np = ${HOME}", Env(("HOME", "/from/env")));
        Assert.Equal("/from/config", Text(root, "p"));
    }

    [Fact]
    public void Resolve_ExplicitNull_IsNotLookedUpInEnvironment()
    {
        var root = Parse("HOME = null\np = ${HOME}", Env(("HOME", "/from/env")));
        Assert.Equal(HoconScalarKind.Null, Scalar(root, "p").Kind);
    }

    [Fact]
    public void Resolve_OptionalMissing_RemovesTheField()
    {
        var root = Parse("a = 1\na = ${?NOPE}\nb = ${?NOPE}\nc = [1, ${?NOPE}, 2]");
        Assert.Equal("1", Text(root, "a"));
        Assert.False(root.TryGet("b", out _));
        Assert.Equal(["1", "2"], Texts(root, "c"));
    }

    [Fact]
    public void Resolve_OptionalFound_SetsTheField()
    {
        var root = Parse("a = 1\na = ${?PORT}", Env(("PORT", "8080")));
        Assert.Equal("8080", Text(root, "a"));
    }

    [Fact]
    public void Resolve_OptionalMissingInConcatenation_BecomesEmpty()
    {
        var root = Parse("p = ${?NOPE}\"/runs\"\nn = null\nq = x${n}y");
        Assert.Equal("/runs", Text(root, "p"));
        Assert.Equal("xy", Text(root, "q"));
    }

    [Fact]
    public void Resolve_RequiredMissing_FailsNamingFileLineAndPath()
    {
        var e = FailsAt("t.conf", 2, () => Parse("a = 1\nb = ${missing.key}"));
        Assert.Contains("${missing.key}", e.Message, StringComparison.Ordinal);
        Assert.Contains("${?missing.key}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_Cycle_FailsNamingTheChain()
    {
        var e = FailsAt("t.conf", 2, () => Parse("a = ${b}\nb = ${a}"));
        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
        Assert.Contains("${a}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ObjectContainingReferenceToItself_IsACycle()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("bar { baz = ${bar} }"));
        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SelfReference_ReadsTheEarlierValue()
    {
        var root = Parse("path = \"a:b\"\npath = ${path}\":c\"\nlist = [1]\nlist = ${list} [2]\no { x = 1 }\no = ${o} { y = 2 }");
        Assert.Equal("a:b:c", Text(root, "path"));
        Assert.Equal(["1", "2"], Texts(root, "list"));
        Assert.Equal("1", Text(root, "o.x"));
        Assert.Equal("2", Text(root, "o.y"));
    }

    [Fact]
    public void Resolve_SelfReferenceWithoutEarlierValue_UsesEnvironment()
    {
        var root = Parse("PATH = ${PATH}\":/opt/bin\"", Env(("PATH", "/usr/bin")));
        Assert.Equal("/usr/bin:/opt/bin", Text(root, "PATH"));
        Assert.False(Parse("x = ${?x}").TryGet("x", out _));
    }

    [Fact]
    public void Resolve_SubstitutionOfObject_MergesWithObjectWrittenAfter()
    {
        var root = Parse("base { a = 1, b = 1 }\nchild = ${base}\nchild { b = 2 }");
        Assert.Equal("1", Text(root, "child.a"));
        Assert.Equal("2", Text(root, "child.b"));
        Assert.Equal("1", Text(root, "base.b"));
    }

    [Fact]
    public void Resolve_ObjectThenSubstitution_MergesBoth()
    {
        var root = Parse("base { a = 1 }\nchild { b = 2 }\nchild = ${base}");
        Assert.Equal("1", Text(root, "child.a"));
        Assert.Equal("2", Text(root, "child.b"));
    }

    [Fact]
    public void Resolve_JoiningListWithText_FailsAtLine()
    {
        var e = FailsAt("t.conf", 2, () => Parse("l = [1]\nx = ${l} foo"));
        Assert.Contains("a list", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ResolvedValue_PointsAtTheSubstitutionLine()
    {
        var root = Parse("a = 1\n\nb = ${a}", Env());
        Assert.Equal(3, Scalar(root, "b").Origin.Line);
    }

    [Fact]
    public void Parse_Unresolved_KeepsSubstitutionsUntilResolve()
    {
        var root = HoconParser.Parse("a = ${b}", "t.conf", _ => null, resolve: false);
        Assert.False(root.IsResolved);
        Assert.Throws<ConfigException>(() => root.TryGet("a", out _));
        var resolved = root.WithFallback(Parse("b = 7")).Resolve();
        Assert.True(resolved.IsResolved);
        Assert.Equal("7", Text(resolved, "a"));
    }

    [Fact]
    public void Resolve_SelfReferenceBelowTheField_ReadsInsideTheEarlierValue()
    {
        var root = Parse("foo { a = 1 }\nfoo = ${foo.a}");
        Assert.Equal("1", Text(root, "foo"));
    }

    [Fact]
    public void Resolve_AppendAfterSubstitutedList_ExtendsIt()
    {
        var root = Parse("base = [1]\nl = ${base}\nl += 2");
        Assert.Equal(["1", "2"], Texts(root, "l"));
        Assert.Equal(["1"], Texts(root, "base"));
    }

    [Fact]
    public void Resolve_QuotedEnvironmentName_IsLookedUpWithoutQuotes()
    {
        var root = Parse("a = ${?\"my.var\"}", Env(("my.var", "v")));
        Assert.Equal("v", Text(root, "a"));
    }
}
