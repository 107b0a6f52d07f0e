// hocon/reference.conf is compiled in and is what every command starts from; these keep it equal to the defaults in
// code, key by key, and fail for a key added there without a check here (the leaf sets must match exactly). Its akka
// section is checked where it matters: in the settings of the actor systems the commands create.
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Orion.Actors.Configuration;
using Orion.Actors.Hosting;
using Orion.Actors.Journal;
using Orion.Actors.Protocol;
using Orion.Engine.Ane;
using Orion.Engine.Compiler;
using Orion.Engine.Model.Training;
using Orion.Engine.Restrictions;
using Xunit;

namespace Orion.Actors.Tests.Configuration;

public sealed class ReferenceConfTests
{
    internal static string RepoRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "OrionCluster.sln"))) return d.FullName;
            throw new DirectoryNotFoundException("OrionCluster.sln not found above the test binaries");
        }
    }

    private static readonly Config Reference = OrionConfig.Reference;

    private static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Every leaf under <paramref name="path"/> must be listed with its code default, and nothing more.</summary>
    private static void AssertSection(string path, Dictionary<string, string> expected)
    {
        var leaves = new List<string>();
        void Walk(HoconValue v, string at)
        {
            if (v.IsObject()) foreach (var (k, child) in v.GetObject().Items) Walk(child, at.Length == 0 ? k : at + "." + k);
            else leaves.Add(at);
        }
        Walk(Reference.GetValue(path), "");
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), leaves.Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected)
        {
            var v = Reference.GetValue(path + "." + key);
            var text = ConfigSection.IsList(v) ? "[" + string.Join(",", v.GetStringList()) + "]" : v.GetString();
            Assert.True(value == text, $"{path}.{key}: reference.conf says '{text}', the code '{value}'");
        }
    }

    [Fact]
    public void Embedded_IsTheFileInTheRepository()
    {
        var onDisk = HoconFile.Load(Path.Combine(RepoRoot, "hocon", "reference.conf")).Config;
        Assert.Equal(onDisk.GetInt("orion.training.steps"), Reference.GetInt("orion.training.steps"));
        Assert.Equal(onDisk.ToString(), Reference.ToString());
    }

    [Fact]
    public void Engine_MatchesCode()
    {
        AssertSection("orion.engine", new()
        {
            ["chip"] = ChipProfile.Default.Name,
            ["compile-budget"] = CompileBudget.DefaultLimit.ToString(CultureInfo.InvariantCulture),
            ["ane-compile-budget"] = CompileBudget.AneDefaultLimit.ToString(CultureInfo.InvariantCulture),
            ["device"] = "auto",
            ["delta-patch"] = Orion.Engine.Ane.Doctor.MeasuredProfile.Mode(new Orion.Engine.Ane.Apple.AppleDeviceOptions().DeltaPatch),
            ["inline-constant-limit"] = new CompilerOptions().InlineConstantLimit.ToString(CultureInfo.InvariantCulture),
            ["multi-blob-file"] = new CompilerOptions().MultiBlobFile ? "true" : "false",
            ["min-surface-bytes"] = ChipProfile.Default.MinSurfaceBytes.ToString(CultureInfo.InvariantCulture),
        });
        Assert.Equal(new DeviceRequest().Choice, DeviceSelection.Parse(Reference.GetString("orion.engine.device")));
    }

    [Fact]
    public void Training_MatchesCode()
    {
        var o = new TrainingOptions();
        AssertSection("orion.training", new()
        {
            ["model"] = TrainingRequest.DefaultModel,
            ["data"] = Orion.Engine.Data.DataSource.Builtin,
            ["tokenizer"] = TrainingRequest.DefaultTokenizer,
            ["steps"] = o.Steps.ToString(CultureInfo.InvariantCulture),
            ["batch"] = o.Batch.ToString(CultureInfo.InvariantCulture),
            ["seq"] = o.Seq.ToString(CultureInfo.InvariantCulture),
            ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
            ["lr"] = F(o.LearningRate),
            ["warmup-steps"] = o.WarmupSteps.ToString(CultureInfo.InvariantCulture),
            ["min-lr-fraction"] = F(o.MinLrFraction),
            ["weight-decay"] = F(o.WeightDecay),
            ["beta1"] = F(o.Beta1),
            ["beta2"] = F(o.Beta2),
            ["adam-epsilon"] = F(o.Epsilon),
            ["grad-clip"] = F(o.GradClip),
            ["initial-loss-scale"] = F(o.InitialLossScale),
            ["loss-scale-growth-interval"] = o.LossScaleGrowthInterval.ToString(CultureInfo.InvariantCulture),
            ["checkpoint-every"] = o.CheckpointEvery.ToString(CultureInfo.InvariantCulture),
        });
    }

    [Fact]
    public void RunClusterCoordinatorWorker_MatchCode()
    {
        AssertSection("orion.run", new() { ["dir"] = "", ["journal"] = "", ["keep-checkpoints"] = new Orion.Coordinator.CoordinatorSettings
        {
            RunDir = "r", RunId = "r", Request = new(), Journal = JournalSpec.Parse("sqlite:j.db"), Shards = 1, Encoder = _ => _ => [],
        }.KeepCheckpoints.ToString(CultureInfo.InvariantCulture) });
        AssertSection("orion.cluster", new()
        {
            ["workers"] = "1",
            ["gradients"] = "fp32",
            ["min-workers"] = "0",
            ["shard-timeout"] = "10m",
            ["port"] = new ClusterNodeOptions { Role = "worker", Host = "127.0.0.1", Seeds = [] }.Port.ToString(CultureInfo.InvariantCulture),
            ["advertise"] = "",
            ["tls.cert"] = "",
            ["tls.ca"] = "",
            ["seed-nodes"] = "[]",
        });
        Assert.Equal(Orion.Coordinator.CoordinatorSettings.DefaultShardTimeout, Reference.GetTimeSpan("orion.cluster.shard-timeout"));
        AssertSection("orion.coordinator", new() { ["listen"] = "", ["http"] = "" });
        AssertSection("orion.worker", new() { ["coordinator"] = "", ["name"] = "", ["cache-dir"] = "", ["os-build"] = "" });
        AssertSection("orion.device-dispatcher", new() { ["type"] = "PinnedDispatcher" });
        Assert.Equal("orion.device-dispatcher", OrionAkka.DeviceDispatcher);
    }

    [Fact]
    public async Task AkkaSection_ReachesALocalActorSystem()
    {
        using var system = OrionAkka.Create("reference-test");
        var c = system.Settings.Config;
        Assert.Equal("WARNING", c.GetString("akka.loglevel"));
        Assert.Contains(typeof(StderrLogger).FullName!, c.GetStringList("akka.loggers")[0], StringComparison.Ordinal);
        Assert.IsType<RunEventSerializer>(system.Serialization.FindSerializerForType(typeof(RunStarted)));
        Assert.IsType<RunEventSerializer>(system.Serialization.FindSerializerForType(typeof(RunSnapshot)));
        Assert.IsType<ProtocolSerializer>(system.Serialization.FindSerializerForType(typeof(DescribeWorker)));
        Assert.Equal("PinnedDispatcher", c.GetString("orion.device-dispatcher.type"));
        await system.Terminate();
    }

    [Fact]
    public void AkkaSection_ClusterNode_HasTheDocumentedDetectorAndResolver()
    {
        var node = new ClusterNodeOptions { Role = ClusterNodeOptions.WorkerRole, Host = "127.0.0.1", Seeds = ["127.0.0.1:7071"] };
        var c = ClusterNode.ConfigFor(node).WithFallback(OrionAkka.Base);
        Assert.Equal(TimeSpan.FromSeconds(1), c.GetTimeSpan("akka.cluster.failure-detector.heartbeat-interval"));
        Assert.Equal(TimeSpan.FromSeconds(3), c.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal("keep-oldest", c.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(ClusterNodeOptions.CoordinatorRole, c.GetString("akka.cluster.split-brain-resolver.keep-oldest.role"));
        Assert.False(c.GetBoolean("akka.cluster.split-brain-resolver.keep-oldest.down-if-alone"));
        Assert.Equal("cluster", c.GetString("akka.actor.provider"));
        Assert.Equal(16 * 1024 * 1024, c.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
    }

    [Fact]
    public void AkkaSection_UserFileTunesTheNode_ButNeverCertificateValidation()
    {
        var user = HoconFile.Parse("""
            akka.cluster.failure-detector.acceptable-heartbeat-pause = 7s
            akka.remote.dot-netty.tcp.ssl.suppress-validation = on
            """, "user.conf");
        var node = new ClusterNodeOptions { Role = ClusterNodeOptions.WorkerRole, Host = "127.0.0.1", Seeds = ["127.0.0.1:7071"], Settings = user };
        var c = ClusterNode.ConfigFor(node).WithFallback(node.Settings!).WithFallback(OrionAkka.Base);
        Assert.Equal(TimeSpan.FromSeconds(7), c.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.False(c.GetBoolean("akka.remote.dot-netty.tcp.ssl.suppress-validation"));
    }
}
