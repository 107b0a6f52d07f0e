// hocon/reference.conf documents the engine defaults; this reads it with the HOCON reader (Orion.Engine.Config) and
// keeps it equal to the values compiled in. EnsureNoUnknownKeys also fails for a key added there without a check here.
using System.Globalization;
using Orion.Engine.Ane;
using Orion.Engine.Compiler;
using Orion.Engine.Config;
using Orion.Engine.Restrictions;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests;

public sealed class ReferenceConfTests
{
    private static ConfigSection Section(string path) =>
        new(HoconParser.ParseFile(Path.Combine(RepoPaths.Root, "hocon", "reference.conf"), _ => null), path);

    [Fact]
    public void ReferenceConf_EngineDefaults_MatchCode()
    {
        var s = Section("orion.engine");
        Assert.Equal(ChipProfile.Default.Name, s.GetString("chip"));
        Assert.Equal(CompileBudget.DefaultLimit, s.GetInt("compile-budget"));
        Assert.Equal(new CompilerOptions().InlineConstantLimit, s.GetInt("inline-constant-limit"));
        Assert.Equal(new CompilerOptions().MultiBlobFile, s.GetBool("multi-blob-file"));
        Assert.Equal(CompileBudget.AneDefaultLimit, s.GetInt("ane-compile-budget"));
        Assert.Equal(new DeviceRequest().Choice, DeviceSelection.Parse(s.GetString("device")));
        Assert.Equal(Orion.Engine.Ane.Doctor.MeasuredProfile.Mode(new Orion.Engine.Ane.Apple.AppleDeviceOptions().DeltaPatch), s.GetString("delta-patch"));
        Assert.Equal(ChipProfile.Default.MinSurfaceBytes, s.GetBytes("min-surface-bytes"));
        s.EnsureNoUnknownKeys();
    }

    [Fact]
    public void ReferenceConf_TrainingDefaults_MatchCode()
    {
        var s = Section("orion.training");
        var o = new Orion.Engine.Model.Training.TrainingOptions();
        // Floats are compared as written, so reference.conf shows the exact round-trip text of the compiled default.
        static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
        Assert.Equal(Orion.Engine.Model.Training.TrainingRequest.DefaultModel, s.GetString("model"));
        Assert.Equal(Orion.Engine.Data.DataSource.Builtin, s.GetString("data"));
        Assert.Equal(o.Steps, s.GetInt("steps"));
        Assert.Equal(o.Batch, s.GetInt("batch"));
        Assert.Equal(o.Seq, s.GetInt("seq"));
        Assert.Equal(o.Seed, (ulong)s.GetLong("seed"));
        Assert.Equal(F(o.LearningRate), s.GetString("lr"));
        Assert.Equal(o.WarmupSteps, s.GetInt("warmup-steps"));
        Assert.Equal(F(o.MinLrFraction), s.GetString("min-lr-fraction"));
        Assert.Equal(F(o.WeightDecay), s.GetString("weight-decay"));
        Assert.Equal(F(o.Beta1), s.GetString("beta1"));
        Assert.Equal(F(o.Beta2), s.GetString("beta2"));
        Assert.Equal(F(o.Epsilon), s.GetString("adam-epsilon"));
        Assert.Equal(F(o.GradClip), s.GetString("grad-clip"));
        Assert.Equal(F(o.InitialLossScale), s.GetString("initial-loss-scale"));
        Assert.Equal(o.LossScaleGrowthInterval, s.GetInt("loss-scale-growth-interval"));
        Assert.Equal(o.CheckpointEvery, s.GetInt("checkpoint-every"));
        s.EnsureNoUnknownKeys();
    }

    [Fact]
    public void ReferenceConf_UnderAUserFile_KeepsDefaultsAndTakesOverrides()
    {
        var reference = HoconParser.ParseFile(Path.Combine(RepoPaths.Root, "hocon", "reference.conf"), _ => null);
        var user = HoconParser.Parse("orion.training { steps = 20, stpes = 30 }", "worker.conf", _ => null);
        var s = new ConfigSection(user.WithFallback(reference), "orion.training");
        Assert.Equal(20, s.GetInt("steps"));
        Assert.Equal(new Orion.Engine.Model.Training.TrainingOptions().Batch, s.GetInt("batch"));
        var e = Assert.Throws<ConfigException>(s.EnsureNoUnknownKeys);
        Assert.Contains("unknown key 'orion.training.stpes' at worker.conf:1", e.Message, StringComparison.Ordinal);
    }
}
