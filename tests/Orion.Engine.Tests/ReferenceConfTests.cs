// hocon/reference.conf documents the engine defaults; this keeps it equal to the values compiled in.
using Orion.Engine.Ane;
using Orion.Engine.Compiler;
using Orion.Engine.Restrictions;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests;

public sealed class ReferenceConfTests
{
    private static Dictionary<string, string> EngineSettings()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(Path.Combine(RepoPaths.Root, "hocon", "reference.conf")))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || !line.Contains('=', StringComparison.Ordinal)) continue;
            var parts = line.Split('=', 2);
            d[parts[0].Trim()] = parts[1].Trim();
        }
        return d;
    }

    [Fact]
    public void ReferenceConf_EngineDefaults_MatchCode()
    {
        var s = EngineSettings();
        Assert.Equal(ChipProfile.Default.Name, s["chip"]);
        Assert.Equal(CompileBudget.DefaultLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), s["compile-budget"]);
        Assert.Equal(new CompilerOptions().InlineConstantLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), s["inline-constant-limit"]);
        Assert.Equal(new CompilerOptions().MultiBlobFile ? "true" : "false", s["multi-blob-file"]);
        Assert.Equal(CompileBudget.AneDefaultLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), s["ane-compile-budget"]);
        Assert.Equal(new DeviceRequest().Choice, DeviceSelection.Parse(s["device"]));
        Assert.Equal(Orion.Engine.Ane.Doctor.MeasuredProfile.Mode(new Orion.Engine.Ane.Apple.AppleDeviceOptions().DeltaPatch), s["delta-patch"]);
        Assert.Equal(ChipProfile.Default.MinSurfaceBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), s["min-surface-bytes"]);
        }

    [Fact]
    public void ReferenceConf_TrainingDefaults_MatchCode()
    {
        var s = EngineSettings();
        var o = new Orion.Engine.Model.Training.TrainingOptions();
        static string F(float v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        static string I(long v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Orion.Engine.Model.Training.TrainingRequest.DefaultModel, s["model"]);
        Assert.Equal(Orion.Engine.Data.DataSource.Builtin, s["data"]);
        Assert.Equal(I(o.Steps), s["steps"]);
        Assert.Equal(I(o.Batch), s["batch"]);
        Assert.Equal(I(o.Seq), s["seq"]);
        Assert.Equal(o.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), s["seed"]);
        Assert.Equal(F(o.LearningRate), s["lr"]);
        Assert.Equal(I(o.WarmupSteps), s["warmup-steps"]);
        Assert.Equal(F(o.MinLrFraction), s["min-lr-fraction"]);
        Assert.Equal(F(o.WeightDecay), s["weight-decay"]);
        Assert.Equal(F(o.Beta1), s["beta1"]);
        Assert.Equal(F(o.Beta2), s["beta2"]);
        Assert.Equal(F(o.Epsilon), s["adam-epsilon"]);
        Assert.Equal(F(o.GradClip), s["grad-clip"]);
        Assert.Equal(F(o.InitialLossScale), s["initial-loss-scale"]);
        Assert.Equal(I(o.LossScaleGrowthInterval), s["loss-scale-growth-interval"]);
        Assert.Equal(I(o.CheckpointEvery), s["checkpoint-every"]);
    }
}
