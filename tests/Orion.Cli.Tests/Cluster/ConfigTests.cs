// --config binds a HOCON file (Akka's parser, over the compiled-in reference.conf) to the run's settings; flags
// override it; an unknown key or a bad value fails naming the key, file and line; the example files in hocon/ bind as
// they are; the environment mapping fills only what the file leaves unset.
using Orion.Cli.Commands;
using Xunit;

namespace Orion.Cli.Tests.Cluster;

public sealed class ConfigTests
{
    private static string RepoRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "OrionCluster.sln"))) return d.FullName;
            throw new DirectoryNotFoundException("OrionCluster.sln not found above the test binaries");
        }
    }

    [Theory]
    [InlineData("single-node.conf")]
    [InlineData("coordinator.conf")]
    [InlineData("worker.conf")]
    public void ExampleConfig_Binds(string file)
    {
        var config = ClusterConfig.Load(Path.Combine(RepoRoot, "hocon", file));
        Assert.NotNull(config);
    }

    [Fact]
    public void CoordinatorExample_BindsEveryValueItSets()
    {
        var c = ClusterConfig.Load(Path.Combine(RepoRoot, "hocon", "coordinator.conf"));
        Assert.Equal("gpt2-small", c.Training.Model);
        Assert.Equal(4, c.Workers);
        Assert.Equal(2, c.MinWorkers);
        Assert.Equal(TimeSpan.FromMinutes(5), c.ShardTimeout);
        Assert.Equal("0.0.0.0:7070", c.Listen);
        Assert.Equal(7071, c.ClusterPort);
        Assert.Equal(TimeSpan.FromSeconds(5), c.Akka.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(TimeSpan.FromSeconds(1), c.Akka.GetTimeSpan("akka.cluster.failure-detector.heartbeat-interval"));
        Assert.Equal(Path.Combine(RepoRoot, "hocon", "pki", "coordinator.pfx"), c.Cert);
        Assert.Equal(Path.Combine(RepoRoot, "hocon", "pki", "ca.crt"), c.Ca);
    }

    [Fact]
    public void Train_ConfigWithMisspeltKey_FailsNamingKeyFileAndLine()
    {
        using var dir = new TempDir();
        var conf = dir.At("my.conf");
        File.WriteAllText(conf, "orion {\n  training {\n    stpes = 5\n  }\n}\n");
        var r = Cli.Run("train", "--config", conf, "--run-dir", dir.At("run"));
        Cli.AssertUserError(r, "orion.training.stpes", "my.conf:3", "steps");
        Assert.False(Directory.Exists(dir.At("run", "checkpoints")));
    }

    [Fact]
    public void Train_ConfigWithBadValue_FailsNamingKeyAndExpected()
    {
        using var dir = new TempDir();
        var conf = dir.At("bad.conf");
        File.WriteAllText(conf, "orion.cluster.shard-timeout = soon\n");
        Cli.AssertUserError(Cli.Run("train", "--config", conf, "--run-dir", dir.At("run")), "shard-timeout", "bad.conf:1");
    }

    [Fact]
    public void Train_ConfigSetsStepsAndFlagsOverrideIt()
    {
        using var dir = new TempDir();
        var conf = dir.At("run.conf");
        File.WriteAllText(conf, "orion {\n  training { steps = 3, batch = 2, seq = 32, checkpoint-every = 0 }\n  cluster.workers = 2\n}\n");
        Cli.Ok("train", "--config", conf, "--steps", "2", "--run-dir", dir.At("run"), "--cache-dir", dir.At("cache"));
        var lines = File.ReadAllLines(dir.At("run", "steps.jsonl"));
        Assert.Equal(2, lines.Length); // --steps 2 over the file's 3
        Assert.Contains("\"workers\":2", lines[0], StringComparison.Ordinal);
        Assert.True(Directory.Exists(dir.At("run", "checkpoints", "step-000002")));
    }

    [Fact]
    public void Binding_ReadsOnlyKeysReferenceConfDocuments()
    {
        // A key read here but missing from reference.conf would be refused as unknown whenever a user sets it.
        var c = ClusterConfig.Load(Path.Combine(RepoRoot, "hocon", "coordinator.conf"));
        var reference = Orion.Actors.Configuration.OrionConfig.Reference;
        Assert.Contains("orion.training.tokenizer", c.KeysRead);
        Assert.True(c.KeysRead.Count > 30, $"only {c.KeysRead.Count} keys read");
        Assert.All(c.KeysRead, key => Assert.True(reference.HasPath(key), $"{key} is read but reference.conf does not document it"));
    }

    [Fact]
    public void Environment_FillsOnlyWhatTheFileLeavesUnset()
    {
        using var dir = new TempDir();
        var set = dir.At("set.conf");
        File.WriteAllText(set, "orion.worker.coordinator = \"file:7070\"\n");
        var unset = dir.At("unset.conf");
        File.WriteAllText(unset, "orion.training.steps = 2\n");
        string? Env(string name) => name == "ORION_COORDINATOR" ? "env:7070" : null;
        Assert.Equal("file:7070", ClusterConfig.Load(set, Env).Coordinator);
        Assert.Equal("env:7070", ClusterConfig.Load(unset, Env).Coordinator);
        Assert.Equal("env:7070", ClusterConfig.Load(null, Env).Coordinator);
        Assert.Null(ClusterConfig.Load(unset, _ => null).Coordinator);
    }

    [Fact]
    public void Environment_MappingIsTheOneReferenceConfDocuments()
    {
        var reference = File.ReadAllText(Path.Combine(RepoRoot, "hocon", "reference.conf"));
        foreach (var (key, variable) in ClusterConfig.Environment)
            Assert.Matches($@"#\s+{variable}\s+->\s+{System.Text.RegularExpressions.Regex.Escape(key)}\b", reference);
    }

    [Fact]
    public void Train_ConfigWithOptionalSubstitution_FailsInsteadOfAnEmptyValue()
    {
        using var dir = new TempDir();
        var conf = dir.At("env.conf");
        File.WriteAllText(conf, "orion.run.journal = ${?ORION_JOURNAL}\n");
        Cli.AssertUserError(Cli.Run("train", "--config", conf, "--run-dir", dir.At("run")), "env.conf:1", "${?...} is not supported");
        Assert.False(Directory.Exists(dir.At("run")));
    }

    [Fact]
    public void Train_ConfigFileAkkaSection_ReachesTheActorSystem()
    {
        // A bad value in the file's akka section fails the command at once, naming the key.
        using var dir = new TempDir();
        var conf = dir.At("akka.conf");
        File.WriteAllText(conf, "akka.cluster.failure-detector.acceptable-heartbeat-pause = often\n");
        Cli.AssertUserError(Cli.Run("train", "--config", conf, "--run-dir", dir.At("run")), "acceptable-heartbeat-pause", "akka.conf:1");
    }
}
