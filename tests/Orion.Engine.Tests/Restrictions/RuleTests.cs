// Each rule of the catalog (ane-reference.md section 7): a violating program is rejected naming the rule, and its
// legal counterpart runs. Rules enforced at evaluation or by the process budget are exercised through the device.
using System.Reflection;
using Orion.Engine.Ane;
using Orion.Engine.Compiler;
using Orion.Engine.Graph;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.Restrictions;

public sealed partial class RuleTests : RuleTestBase
{
    private static string Relu(string parameters = "", string outName = "y") =>
        MilText.Program(parameters.Length > 0 ? parameters : $"{T()} x", Line($"{T()} {outName} = relu(x = x)[name = string(\"{outName}\")];"), outName);

    [Fact]
    public void Catalog_EveryRule_HasATestNamedAfterIt()
    {
        var names = typeof(RuleTests).GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(m => m.Name).ToList();
        foreach (var rule in RestrictionCatalog.Rules)
            Assert.True(names.Any(n => n.StartsWith(rule.Id + "_", StringComparison.Ordinal)), $"no test for {rule.Id}");
        Assert.Equal(27, RestrictionCatalog.Rules.Count);
        Assert.All(RestrictionCatalog.Rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Text)));
    }

    private static string ConcatMil => MilText.Program($"{T()} a, {T()} b",
        Const("int32", "ax", "int32(1)") + Const("bool", "il", "bool(false)") +
        Line($"{T(2 * C)} y = concat(axis = ax, interleave = il, values = (a, b))[name = string(\"y\")];"), "y");

    [Fact]
    public void R01_Concat_RejectedOnDefaultProfile_RunsWhereAllowed_CompilerRewritesChannelConcat()
    {
        Rejected("R01", ConcatMil);
        var allowed = Run(ConcatMil, profile: ChipProfile.M4 with { ConcatAllowed = true })["y"];
        var a = Ref.Random(C * S, 1);
        var bb = Ref.Random(C * S, 2);
        Assert.Equal(a.Concat(bb), allowed);
        // The compiler turns a channel concat into exact selection convs instead.
        var g = new GraphBuilder("cat");
        g.Output("y", g.Concat(1, [g.Input("a", C, S), g.Input("b", C, S)]));
        var program = OrionCompiler.Compile(g.Graph);
        Assert.DoesNotContain("concat(", program.MilText, StringComparison.Ordinal);
        Assert.Equal(a.Concat(bb), Run(program.MilText, program.Weights.ToDictionary())["y"]);
    }

    [Fact]
    public void R02_UnequalOutputSurfaces_Rejected_EqualRun()
    {
        var mil = MilText.Program($"{T()} x", Line($"{T()} a = relu(x = x)[name = string(\"a\")];") + Line($"{T()} b = sigmoid(x = x)[name = string(\"b\")];"), "a, b");
        var d = Device();
        var p = d.Compile(new AneProgramSource(mil, NoWeights()));
        d.Load(p);
        using var i = d.CreateSurface(p.Surfaces.InputBytes[0]);
        using var o1 = d.CreateSurface(p.Surfaces.OutputBytes[0]);
        using var o2 = d.CreateSurface(p.Surfaces.OutputBytes[1] * 2);
        var e = Assert.Throws<AneRestrictionException>(() => d.Evaluate(p, [i], [o1, o2]));
        Assert.Contains(e.Diagnostics, x => x.RuleId == "R02");
        using var o3 = d.CreateSurface(p.Surfaces.OutputBytes[1]);
        d.Evaluate(p, [i], [o1, o3]);
    }

    [Fact]
    public void R03_OutputsNotAlphabetical_Rejected_AlphabeticalRun()
    {
        string Mil(string order) => MilText.Program($"{T()} x", Line($"{T()} a = relu(x = x)[name = string(\"a\")];") + Line($"{T()} z = sigmoid(x = x)[name = string(\"z\")];"), order);
        Rejected("R03", Mil("z, a"));
        var r = Run(Mil("a, z"));
        Assert.Equal(2, r.Count);
    }

    [Fact]
    public void R04_SurfaceBelowMinimum_Rejected_PlannedSurfaceRuns()
    {
        var d = Device();
        var p = d.Compile(new AneProgramSource(Relu(), NoWeights()));
        d.Load(p);
        Assert.Equal(ChipProfile.M4.MinSurfaceBytes, p.Surfaces.InputBytes[0]);
        using var small = d.CreateSurface(C * S * 2);
        using var o = d.CreateSurface(p.Surfaces.OutputBytes[0]);
        var e = Assert.Throws<AneRestrictionException>(() => d.Evaluate(p, [small], [o]));
        Assert.Contains(e.Diagnostics, x => x.RuleId == "R04" && x.Message.Contains("pad S to 384", StringComparison.Ordinal));
        using var ok = d.CreateSurface(p.Surfaces.InputBytes[0]);
        d.Evaluate(p, [ok], [o]);
    }

    [Fact]
    public void R05_CompileBudget_RefusesPastLimit_PatchStillWorks()
    {
        var d = Device(budget: 1);
        var src = new AneProgramSource(Relu(), NoWeights());
        var p = d.Compile(src);
        var e = Assert.Throws<CompileBudgetExceededException>(() => d.Compile(src));
        Assert.Contains("R05", e.Message, StringComparison.Ordinal);
        d.Load(p);
        Assert.Equal(1, d.Budget.Used);
    }

    [Fact]
    public void R06_Sdpa_Rejected_HandWrittenAttentionRuns()
    {
        var sdpa = MilText.Program($"tensor<fp16, [1, 2, 32, 32]> k, tensor<fp16, [1, 2, 32, 32]> q, tensor<fp16, [1, 2, 32, 32]> v",
            Line("tensor<fp16, [1, 2, 32, 32]> y = scaled_dot_product_attention(key = k, query = q, value = v)[name = string(\"y\")];"), "y");
        Rejected("R06", sdpa);
        var program = OrionCompiler.Compile(Programs.CompositePrograms.Attention(1, C, S));
        Assert.Single(Run(program.MilText, program.Weights.ToDictionary()));
    }

    [Fact]
    public void R07_WeightsBaked_FileEditsIgnoredUntilReload()
    {
        var d = Device();
        var g = new GraphBuilder("baked");
        var w = g.Const("w", new Shape(C, C, 1, 1), Ref.Random(C * C, 3, 0.1f));
        g.Output("y", g.Conv(g.Input("x", C, S), w));
        var p = d.Compile(OrionCompiler.Compile(g.Graph).ToSource());
        d.Load(p);
        using var s = new AneSession(d, p);
        var x = Ref.Random(C * S, 4);
        s.SetInput("x", x);
        s.Run();
        var before = s.GetOutput("y");
        File.WriteAllBytes(Path.Combine(p.Folder, "weights", "w.bin"), Blob(new float[C * C]));
        s.Run();
        Assert.Equal(before, s.GetOutput("y"));
        d.Unload(p);
        d.Load(p);
        s.Run();
        Assert.All(s.GetOutput("y"), v => Assert.Equal(0f, v));
    }
}
