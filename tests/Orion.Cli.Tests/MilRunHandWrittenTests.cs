// `orion mil run` on program folders written by hand (any valid MIL, not only the compiler's): two inputs with
// relu + add, and a BLOBFILE weight built with BlobFile.Write.
using Orion.Engine.IO;
using Orion.Engine.Programs;
using Orion.Engine.Tensors;
using Xunit;

namespace Orion.Cli.Tests;

public sealed class MilRunHandWrittenTests
{
    private const string T = TestData.T64;

    [Fact]
    public void MilRun_ReluAddTwoInputs_ComputesReluOfAPlusB()
    {
        using var tmp = new TempDir();
        var program = TestData.WriteProgram(tmp.At("p"), TestData.Mil($"{T} a, {T} b", "y",
            $"{T} r = relu(x = a)[name = string(\"r\")];",
            $"{T} y = add(x = r, y = b)[name = string(\"y\")];"));
        var a = TestData.WriteNpy(tmp.At("a.npy"), TestData.Shape64, seed: 1);
        var b = TestData.WriteNpy(tmp.At("b.npy"), TestData.Shape64, seed: 2);

        var r = Cli.Ok("mil", "run", "--program", program, "--input", "b=" + b, "--input", "a=" + a, "--out", tmp.At("o"), "--trace");

        var av = Npy.Read(a).Data;
        var bv = Npy.Read(b).Data;
        var y = Npy.Read(tmp.At("o", "y.npy"));
        Assert.Equal(TestData.Shape64, y.Shape);
        for (int i = 0; i < y.Data.Length; i++)
            Assert.Equal(Fp16.ToSingle(Fp16.FromSingle(MathF.Max(av[i], 0) + bv[i])), y.Data[i]);
        var trace = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("wrote ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, trace.Count);
        Assert.StartsWith("relu r ", trace[0], StringComparison.Ordinal);
        Assert.StartsWith("add y ", trace[1], StringComparison.Ordinal);
    }

    [Fact]
    public void MilRun_TwoOutputs_WritesEachByName()
    {
        using var tmp = new TempDir();
        var program = TestData.WriteProgram(tmp.At("p"), TestData.Mil($"{T} x", "m, z",
            $"{T} z = relu(x = x)[name = string(\"z\")];",
            $"{T} m = neg(x = x)[name = string(\"m\")];"));
        var x = TestData.WriteNpy(tmp.At("x.npy"), TestData.Shape64);

        Cli.Ok("mil", "run", "--program", program, "--input", "x=" + x, "--out", tmp.At("o"));

        var xv = Npy.Read(x).Data;
        Assert.Equal(xv.Select(v => MathF.Max(v, 0)), Npy.Read(tmp.At("o", "z.npy")).Data);
        Assert.Equal(xv.Select(v => -v), Npy.Read(tmp.At("o", "m.npy")).Data);
    }

    [Fact]
    public void MilRun_BlobFileWeight_ScalesEachChannel()
    {
        using var tmp = new TempDir();
        var scale = new SeededRandom(3).Uniform(64, 2f);
        var (blob, entries) = BlobFile.Write([(DType.Fp16, (ReadOnlyMemory<byte>)TestData.Fp16Bytes(scale))]);
        Assert.Equal(64UL, entries[0].MetadataOffset);
        var program = TestData.WriteProgram(tmp.At("p"), TestData.Mil($"{T} x", "y",
            "tensor<fp16, [1, 64, 1, 1]> w = const()[name = string(\"w\"), val = tensor<fp16, [1, 64, 1, 1]>(BLOBFILE(path = string(\"@model_path/weights/scale.bin\"), offset = uint64(64)))];",
            $"{T} y = mul(x = x, y = w)[name = string(\"y\")];"), ("weights/scale.bin", blob));
        var x = TestData.WriteNpy(tmp.At("x.npy"), TestData.Shape64);

        Cli.Ok("mil", "run", "--program", program, "--input", "x=" + x, "--out", tmp.At("o"));

        var xv = Npy.Read(x).Data;
        var y = Npy.Read(tmp.At("o", "y.npy")).Data;
        for (int c = 0; c < 64; c++)
            for (int s = 0; s < 64; s++)
            {
                float w = Fp16.ToSingle(Fp16.FromSingle(scale[c]));
                Assert.Equal(Fp16.ToSingle(Fp16.FromSingle(xv[c * 64 + s] * w)), y[c * 64 + s]);
            }
    }
}
