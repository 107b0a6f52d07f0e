// WithFallback: the user's file over reference.conf defaults (HOCON.md "Config object merging and file merging").
using Orion.Engine.Config;
using Orion.Engine.Tests.Support;
using Xunit;
using static Orion.Engine.Tests.Config.HoconAssert;

namespace Orion.Engine.Tests.Config;

public sealed class HoconFallbackTests
{
    [Fact]
    public void WithFallback_UserValuesWin_ObjectsMergeKeyByKey()
    {
        var user = Parse("a { x = 1 }\nb = user");
        var defaults = Parse("a { x = 0, y = 0 }\nb = default\nc = default");
        var root = user.WithFallback(defaults);
        Assert.Equal("1", Text(root, "a.x"));
        Assert.Equal("0", Text(root, "a.y"));
        Assert.Equal("user", Text(root, "b"));
        Assert.Equal("default", Text(root, "c"));
    }

    [Fact]
    public void WithFallback_ValuesFromFallback_AreMarkedDefault()
    {
        var root = HoconParser.Parse("a = 1", "user.conf").WithFallback(HoconParser.Parse("a = 0\nb = 0", "reference.conf"));
        Assert.False(Scalar(root, "a").Origin.IsDefault);
        Assert.Equal("user.conf", Scalar(root, "a").Origin.File);
        Assert.True(Scalar(root, "b").Origin.IsDefault);
        Assert.Equal("reference.conf", Scalar(root, "b").Origin.File);
    }

    [Fact]
    public void WithFallback_NonObjectInUser_HidesFallbackObject()
    {
        var root = Parse("a = null").WithFallback(Parse("a { x = 1 }"));
        Assert.Equal(HoconScalarKind.Null, Scalar(root, "a").Kind);
    }

    [Fact]
    public void WithFallback_UnresolvedUser_SeesFallbackValuesOnResolve()
    {
        var user = HoconParser.Parse("steps = ${defaults.steps}\nlist += 3\npath = ${path}\"/x\"", "u.conf", _ => null, resolve: false);
        var reference = Parse("defaults.steps = 10\nlist = [1, 2]\npath = /base");
        var root = user.WithFallback(reference).Resolve();
        Assert.Equal("10", Text(root, "steps"));
        Assert.Equal(["1", "2", "3"], Texts(root, "list"));
        Assert.Equal("/base/x", Text(root, "path"));
    }

    [Fact]
    public void ParseFile_RepoReferenceConf_ParsesWithEveryValueOnItsLine()
    {
        var path = Path.Combine(RepoPaths.Root, "hocon", "reference.conf");
        var root = HoconParser.ParseFile(path, _ => null);
        var lines = File.ReadAllLines(path);
        var training = new ConfigSection(root, "orion.training").Object;
        Assert.NotEmpty(training.Keys);
        foreach (var key in training.Keys)
        {
            Assert.True(training.TryGetField(key, out var value));
            Assert.StartsWith(key + " =", lines[value.Origin.Line - 1].Trim(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WithFallback_OptionalEnvOverrideInUserFile_KeepsDefaultWhenUnset()
    {
        var user = HoconParser.Parse("port = ${?ORION_PORT}", "u.conf", _ => null, resolve: false);
        Assert.Equal("7000", Text(user.WithFallback(Parse("port = 7000")).Resolve(), "port"));
        var set = HoconParser.Parse("port = ${?ORION_PORT}", "u.conf", n => n == "ORION_PORT" ? "7100" : null, resolve: false);
        Assert.Equal("7100", Text(set.WithFallback(Parse("port = 7000")).Resolve(), "port"));
    }
}
