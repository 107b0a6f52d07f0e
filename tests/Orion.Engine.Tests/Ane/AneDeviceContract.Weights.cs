// Contract: weights are baked at load (R07), delta patching swaps them without compiling, the compile budget (R05),
// surface rules (R02, R04, R20), cache artifacts and release.
using Orion.Engine.Ane;
using Orion.Engine.Compiler;
using Orion.Engine.Restrictions;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.Ane;

public abstract partial class AneDeviceContract
{
    private static string WeightFile(AneProgram p) => Path.Combine(p.Folder, "weights", "w.bin");

    [ContractFact]
    public void Load_WeightFileEditedAfterLoad_OutputUnchangedUntilReload()
    {
        var d = NewDevice();
        var w1 = Weights(10);
        var w2 = Weights(11);
        var p = CompileAndLoad(d, ConvProgram(w1).ToSource());
        var x = Ref.Random(C * S, 12);
        var before = RunY(d, p, x);
        File.WriteAllBytes(WeightFile(p), ConvProgram(w2).Weights["@model_path/weights/w.bin"]);
        Assert.Equal(before, RunY(d, p, x)); // R07: baked
        d.Unload(p);
        d.Load(p);
        Ref.Close(Ref.Linear(w2, Ref.D(x), C, C, S), RunY(d, p, x));
    }

    [ContractFact]
    public void PatchWeights_NewWeights_MatchFreshCompileWithoutCompiling()
    {
        var d = NewDevice();
        var p = CompileAndLoad(d, ConvProgram(Weights(20)).ToSource());
        int compiles = d.CompileCount;
        var patched = ConvProgram(Weights(21));
        d.PatchWeights(p, patched.Weights.ToDictionary());
        Assert.Equal(compiles, d.CompileCount);
        Assert.Equal(1, p.PatchCount);
        var x = Ref.Random(C * S, 22);
        var fresh = CompileAndLoad(d, patched.ToSource());
        Assert.Equal(RunY(d, fresh, x), RunY(d, p, x));
    }

    [ContractFact]
    public void PatchWeights_UnknownFile_ThrowsAndKeepsWeights()
    {
        var d = NewDevice();
        var p = CompileAndLoad(d, ConvProgram(Weights(30)).ToSource());
        var x = Ref.Random(C * S, 31);
        var before = RunY(d, p, x);
        Assert.Throws<ArgumentException>(() => d.PatchWeights(p, new Dictionary<string, byte[]> { ["@model_path/weights/nope.bin"] = [1] }));
        Assert.Equal(before, RunY(d, p, x));
    }

    [ContractFact]
    public void PatchWeights_CorruptBlob_RejectedAndOldWeightsKept()
    {
        var d = NewDevice();
        var p = CompileAndLoad(d, ConvProgram(Weights(32)).ToSource());
        var x = Ref.Random(C * S, 33);
        var before = RunY(d, p, x);
        var bad = (byte[])ConvProgram(Weights(34)).Weights["@model_path/weights/w.bin"].Clone();
        bad[64] = 0; // break the 0xDEADBEEF sentinel
        var e = Assert.Throws<AneRestrictionException>(() => d.PatchWeights(p, new Dictionary<string, byte[]> { ["@model_path/weights/w.bin"] = bad }));
        Assert.Contains(e.Diagnostics, x => x.RuleId == "R08");
        Assert.Equal(before, RunY(d, p, x));
    }

    [ContractFact]
    public void Compile_PastBudget_FailsCitingR05()
    {
        var d = NewDevice(budget: 2);
        var src = ConvProgram(Weights(40)).ToSource();
        d.Compile(src);
        d.Compile(src);
        var e = Assert.Throws<CompileBudgetExceededException>(() => d.Compile(src));
        Assert.Contains("R05", e.Message, StringComparison.Ordinal);
        Assert.Contains("R15", e.Message, StringComparison.Ordinal);
    }

    [ContractFact]
    public void PatchWeights_BudgetExhausted_StillWorks()
    {
        var d = NewDevice(budget: 1);
        var p = CompileAndLoad(d, ConvProgram(Weights(41)).ToSource());
        d.PatchWeights(p, ConvProgram(Weights(42)).Weights.ToDictionary());
        var x = Ref.Random(C * S, 43);
        Ref.Close(Ref.Linear(Weights(42), Ref.D(x), C, C, S), RunY(d, p, x));
    }

    [ContractFact]
    public void Evaluate_SurfaceBelowMinimum_RejectedR04()
    {
        var d = NewDevice();
        var p = CompileAndLoad(d, ConvProgram(Weights(50)).ToSource());
        int packed = SurfacePlan.PackedBytes(p.Inputs[0].Type);
        Assert.True(packed < ChipProfile.M4.MinSurfaceBytes);
        using var small = d.CreateSurface(packed);
        var outs = p.Surfaces.OutputBytes.Select(d.CreateSurface).ToList();
        var e = Assert.Throws<AneRestrictionException>(() => d.Evaluate(p, [small], outs));
        Assert.Contains(e.Diagnostics, x => x.RuleId == "R04");
        foreach (var o in outs) o.Dispose();
    }

    [ContractFact]
    public void Evaluate_UnequalOutputSurfaces_RejectedR02()
    {
        var d = NewDevice();
        var p = CompileAndLoad(d, ConvProgram(Weights(51)).ToSource());
        using var input = d.CreateSurface(p.Surfaces.InputBytes[0]);
        using var o1 = d.CreateSurface(p.Surfaces.OutputBytes[0]);
        using var o2 = d.CreateSurface(p.Surfaces.OutputBytes[1] + 64);
        var e = Assert.Throws<AneRestrictionException>(() => d.Evaluate(p, [input], [o1, o2]));
        Assert.Contains(e.Diagnostics, x => x.RuleId == "R02");
    }

    [ContractFact]
    public void Evaluate_OversizedSurfaces_DataPackedFromByteZero()
    {
        var d = NewDevice();
        var w = Weights(52);
        var p = CompileAndLoad(d, ConvProgram(w).ToSource());
        var x = Ref.Random(C * S, 53);
        int big = p.Surfaces.InputBytes[0] * 2;
        using var input = d.CreateSurface(big);
        using var o1 = d.CreateSurface(big);
        using var o2 = d.CreateSurface(big);
        input.Write(Tensors.TensorCodec.Encode(x, Tensors.DType.Fp16));
        d.Evaluate(p, [input], [o1, o2]);
        var bytes = new byte[C * S * 2];
        o1.Read(bytes);
        Ref.Close(Ref.Linear(w, Ref.D(x), C, C, S), Tensors.TensorCodec.Decode(bytes, Tensors.DType.Fp16));
    }

    [ContractFact]
    public void SaveCompiled_ThenLoadCompiled_RunsWithoutCompiling()
    {
        var d = NewDevice();
        var w = Weights(60);
        var src = ConvProgram(w).ToSource();
        var p = d.Compile(src);
        var dir = Path.Combine(Path.GetTempPath(), "orion-test-artifacts-" + Guid.NewGuid().ToString("N"));
        try
        {
            d.SaveCompiled(p, dir);
            var q = d.LoadCompiled(src, dir);
            Assert.Equal(1, d.CompileCount);
            d.Load(q);
            var x = Ref.Random(C * S, 61);
            Ref.Close(Ref.Linear(w, Ref.D(x), C, C, S), RunY(d, q, x));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [ContractFact]
    public void Release_DeletesProgramFolder()
    {
        var d = NewDevice();
        var p = CompileAndLoad(d, ConvProgram(Weights(70)).ToSource());
        Assert.True(Directory.Exists(p.Folder));
        d.Release(p);
        Assert.False(Directory.Exists(p.Folder));
        Assert.Throws<InvalidOperationException>(() => d.Load(p));
    }

    [ContractFact]
    public void Evaluate_SameInputsTwice_SameBits()
    {
        var d = NewDevice();
        var p = CompileAndLoad(d, ConvProgram(Weights(80)).ToSource());
        var x = Ref.Random(C * S, 81);
        Assert.Equal(RunY(d, p, x), RunY(d, p, x));
    }
}
