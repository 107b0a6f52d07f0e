// Issue 5, item 9: --config binds a HOCON file to the run's settings; flags override it; an unknown key or a bad
// value fails naming the key, file and line; the example files in hocon/ bind as they are.
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
        Assert.Equal(TimeSpan.FromSeconds(5), c.AcceptableHeartbeatPause);
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
    public void ReferenceConf_ClusterDefaults_MatchCode()
    {
        var root = Orion.Engine.Config.HoconParser.ParseFile(Path.Combine(RepoRoot, "hocon", "reference.conf"));
        var cluster = new Orion.Engine.Config.ConfigSection(root, "orion.cluster");
        var code = new Orion.Actors.Hosting.ClusterNodeOptions { Role = "worker", Host = "127.0.0.1", Seeds = [] };
        Assert.Equal(1, cluster.GetInt("workers"));
        Assert.Equal(Orion.Coordinator.CoordinatorSettings.DefaultShardTimeout, cluster.GetDuration("shard-timeout"));
        Assert.Equal(code.Port, cluster.GetInt("port"));
        Assert.Equal(code.HeartbeatInterval, cluster.Section("failure-detector").GetDuration("heartbeat-interval"));
        Assert.Equal(code.AcceptableHeartbeatPause, cluster.Section("failure-detector").GetDuration("acceptable-heartbeat-pause"));
        Assert.Equal(code.StableAfter, cluster.Section("split-brain-resolver").GetDuration("stable-after"));
        Assert.Equal("", cluster.Section("tls").GetString("cert"));
    }
}
