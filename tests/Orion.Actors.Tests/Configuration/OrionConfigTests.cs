// A user's file over the compiled-in reference: an `orion` key the reference does not document stops the command
// with the key, where it was written and the nearest spelling; Akka's keys pass through to the actor systems.
using Orion.Actors.Configuration;
using Orion.TestKit.Cluster;
using Xunit;

namespace Orion.Actors.Tests.Configuration;

public sealed class OrionConfigTests : IDisposable
{
    private readonly TempFolder _dir = new("orion-config");

    public void Dispose() => _dir.Dispose();

    private string Write(string text)
    {
        var path = _dir.At("my.conf");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Load_MisspeltKey_NamesKeyFileLineAndNearestSpelling()
    {
        var e = Assert.Throws<ConfigException>(() => OrionConfig.Load(Write("orion {\n  training {\n    stpes = 5\n  }\n}\n")));
        Assert.Contains("unknown key 'orion.training.stpes'", e.Message, StringComparison.Ordinal);
        Assert.Contains("my.conf:3", e.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'orion.training.steps'", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Load_MisspeltSection_NamesTheSection()
    {
        var e = Assert.Throws<ConfigException>(() => OrionConfig.Load(Write("orion.trainig.steps = 5\n")));
        Assert.Contains("unknown key 'orion.trainig'", e.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'orion.training'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralUnknownKeys_ListsEach()
    {
        var e = Assert.Throws<ConfigException>(() => OrionConfig.Load(Write("orion.training.stpes = 5\norion.cluster.wrokers = 2\n")));
        Assert.Contains("orion.training.stpes", e.Message, StringComparison.Ordinal);
        Assert.Contains("orion.cluster.wrokers", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KnownKeysAndAkkaKeys_MergeOverTheReference()
    {
        var c = OrionConfig.Load(Write("orion.training.steps = 20\nakka.loglevel = ERROR\nakka.anything-akka-ignores = 1\n"));
        Assert.Equal(20, c.Merged.GetInt("orion.training.steps"));
        Assert.Equal(new Orion.Engine.Model.Training.TrainingOptions().Batch, c.Merged.GetInt("orion.training.batch"));
        Assert.Equal("ERROR", c.Merged.GetString("akka.loglevel"));
        Assert.Equal("OFF", c.Merged.GetString("akka.stdout-loglevel"));
    }

    [Fact]
    public void Load_NoFile_IsTheReference()
    {
        Assert.Same(OrionConfig.Default, OrionConfig.Load(null));
        Assert.Null(OrionConfig.Default.File);
    }

    [Theory]
    [InlineData("steps", "steps", 0)]
    [InlineData("stpes", "steps", 1)]
    [InlineData("batc", "batch", 1)]
    [InlineData("kitten", "sitting", 3)]
    public void EditDistance_CountsASwapAsOne(string a, string b, int distance) =>
        Assert.Equal(distance, OrionConfig.EditDistance(a, b));
}
