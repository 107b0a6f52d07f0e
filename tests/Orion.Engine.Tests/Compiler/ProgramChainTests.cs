// A chain of stages compiled as one program computes what the stages compute one after another.
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Compiler;
using Orion.Engine.Graph;
using Orion.Engine.Tensors;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.Compiler;

public sealed class ProgramChainTests
{
    private const int C = 64, S = 32;

    private static Orion.Engine.Graph.Graph Norm()
    {
        var b = new GraphBuilder("norm");
        b.Output("h", b.RmsNorm(b.Input("x", C, S), b.Const("g", new Shape(C), Ref.Random(C, 1, 0.2f).Select(v => v + 1f).ToArray())));
        return b.Graph;
    }

    private static Orion.Engine.Graph.Graph Ffn()
    {
        var b = new GraphBuilder("ffn");
        var h = b.Input("h", C, S);
        var w = b.Const("w", new Shape(C, C), Ref.Random(C * C, 2, 0.1f));
        b.Output("y", b.Add(b.Relu(b.Linear(h, w)), b.Input("x", C, S)));
        return b.Graph;
    }

    private static Dictionary<string, float[]> Run(EmulatedAneDevice d, CompiledProgram p, Dictionary<string, float[]> inputs)
    {
        var prog = d.Compile(p.ToSource());
        d.Load(prog);
        using var s = new AneSession(d, prog);
        return s.Run(inputs);
    }

    [Fact]
    public void Merge_TwoStages_OneProgramSameBitsAsRunningBoth()
    {
        using var d = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(5) });
        var x = Ref.Random(C * S, 3);
        var h = Run(d, OrionCompiler.Compile(Norm()), new() { ["x"] = x })["h"];
        var separate = Run(d, OrionCompiler.Compile(Ffn()), new() { ["h"] = h, ["x"] = x })["y"];
        var merged = ProgramChain.Merge("layer", [Norm(), Ffn()]);
        Assert.Single(merged.Inputs);
        var fused = Run(d, OrionCompiler.Compile(merged), new() { ["x"] = x })["y"];
        Assert.Equal(separate, fused);
    }

    [Fact]
    public void Merge_KeepOutputs_ExposesIntermediate()
    {
        var merged = ProgramChain.Merge("layer", [Norm(), Ffn()], ["h"]);
        Assert.Equal(["h", "y"], merged.Outputs.Select(o => o.Name).Order());
    }

    [Fact]
    public void Merge_TypeMismatch_Throws()
    {
        var b = new GraphBuilder("bad");
        b.Output("y", b.Relu(b.Input("h", C, S + 1)));
        Assert.Throws<GraphException>(() => ProgramChain.Merge("chain", [Norm(), b.Graph]));
    }
}
