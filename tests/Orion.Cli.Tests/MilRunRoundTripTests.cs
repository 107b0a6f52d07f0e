// Round trip `orion compile` -> `orion mil run` for every composite: the written y.npy has the program's shape, finite
// values, and the very bits an in-process EmulatedAneDevice + AneSession produce from the same folder.
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.IO;
using Orion.Engine.Programs;
using Orion.Engine.Tensors;
using Xunit;

namespace Orion.Cli.Tests;

public sealed class MilRunRoundTripTests
{
    public static TheoryData<string> Composites() => [.. CompositePrograms.Builders.Keys];

    [Theory]
    [MemberData(nameof(Composites))]
    public void MilRun_CompiledComposite_MatchesInProcessSessionBitForBit(string name)
    {
        using var tmp = new TempDir();
        var program = Cli.Compile(name, tmp.At("c"));
        var x = TestData.WriteNpy(tmp.At("x.npy"), TestData.Shape64);

        var r = Cli.Ok("mil", "run", "--program", program, "--input", "x=" + x, "--out", tmp.At("o"));

        var y = Npy.Read(tmp.At("o", "y.npy"));
        Assert.Equal(TestData.Shape64, y.Shape);
        Assert.Equal(DType.Fp16, y.DType);
        Assert.All(y.Data, v => Assert.True(float.IsFinite(v), $"{name}: {v}"));
        Assert.Contains(y.Data, v => v != 0);
        Assert.Equal(Bits(InProcess(program, Npy.Read(x).Data)), Bits(y.Data));
        Assert.Contains("wrote ", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void MilRun_FlatInputShape_AcceptedWithoutSizeOneDims()
    {
        using var tmp = new TempDir();
        var program = Cli.Compile("rmsnorm", tmp.At("c"));
        var x4 = TestData.WriteNpy(tmp.At("x4.npy"), TestData.Shape64);
        var x2 = TestData.WriteNpy(tmp.At("x2.npy"), [64, 64]);

        Cli.Ok("mil", "run", "--program", program, "--input", "x=" + x4, "--out", tmp.At("o4"));
        Cli.Ok("mil", "run", "--program", program, "--input", "x=" + x2, "--out", tmp.At("o2"));

        Assert.Equal(Bits(Npy.Read(tmp.At("o4", "y.npy")).Data), Bits(Npy.Read(tmp.At("o2", "y.npy")).Data));
    }

    [Fact]
    public void MilRun_Fp32InputFile_ConvertedToProgramDtype()
    {
        using var tmp = new TempDir();
        var program = Cli.Compile("layernorm", tmp.At("c"));
        var x16 = TestData.WriteNpy(tmp.At("x16.npy"), TestData.Shape64);
        var x32 = TestData.WriteNpy(tmp.At("x32.npy"), TestData.Shape64, dtype: DType.Fp32);

        Cli.Ok("mil", "run", "--program", program, "--input", "x=" + x16, "--out", tmp.At("o16"));
        Cli.Ok("mil", "run", "--program", program, "--input", "x=" + x32, "--out", tmp.At("o32"));

        // Same seed: the fp32 file's values round to the fp16 file's values on the way in.
        Assert.Equal(Bits(Npy.Read(tmp.At("o16", "y.npy")).Data), Bits(Npy.Read(tmp.At("o32", "y.npy")).Data));
    }

    [Fact]
    public void MilRun_Trace_PrintsOneLinePerExecutedOp()
    {
        using var tmp = new TempDir();
        var program = Cli.Compile("layernorm", tmp.At("c"));
        var x = TestData.WriteNpy(tmp.At("x.npy"), TestData.Shape64);
        var plain = Cli.Ok("mil", "run", "--program", program, "--input", "x=" + x, "--out", tmp.At("o1"));

        var traced = Cli.Ok("mil", "run", "--program", program, "--input", "x=" + x, "--out", tmp.At("o2"), "--trace");

        Assert.Empty(Lines(plain.Out));
        var traceLines = Lines(traced.Out).ToList();
        var ops = File.ReadAllLines(Path.Combine(program, "model.mil")).Count(l => l.Contains("[name = string(", StringComparison.Ordinal) && !l.Contains("= const()", StringComparison.Ordinal));
        Assert.Equal(ops, traceLines.Count);
        Assert.Contains(traceLines, l => l.StartsWith("reduce_mean ", StringComparison.Ordinal));
        Assert.Contains(traceLines, l => l.StartsWith("add y ", StringComparison.Ordinal));
    }

    private static float[] InProcess(string programDir, float[] x)
    {
        using var device = new EmulatedAneDevice(new EmulatedDeviceOptions { Budget = new CompileBudget(CompileBudget.DefaultLimit) });
        var p = device.Compile(AneProgramSource.FromFolder(programDir));
        device.Load(p);
        using var session = new AneSession(device, p);
        session.SetInput("x", x);
        session.Run();
        return session.GetOutput("y");
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("wrote ", StringComparison.Ordinal) && !l.StartsWith("warning ", StringComparison.Ordinal));
}
