// `orion mil run` with a broken program folder: missing folder, model.mil or weight file, bad or truncated blobs,
// malformed MIL, unknown ops and restriction violations each give one clear paragraph and a non-zero exit.
using Orion.Engine.IO;
using Orion.Engine.Tensors;
using Xunit;

namespace Orion.Cli.Tests;

public sealed class MilRunProgramErrorTests
{
    private const string T = TestData.T64;

    private static CliResult RunX(TempDir tmp, string program)
    {
        var x = TestData.WriteNpy(tmp.At("x.npy"), TestData.Shape64);
        return Cli.Run("mil", "run", "--program", program, "--input", "x=" + x, "--out", tmp.At("o"));
    }

    [Fact]
    public void MilRun_MissingProgramFolder_NamesFolder()
    {
        using var tmp = new TempDir();

        var r = RunX(tmp, tmp.At("nowhere"));

        Cli.AssertUserError(r, "nowhere", "does not exist", "model.mil");
        Assert.False(Directory.Exists(tmp.At("o")));
    }

    [Fact]
    public void MilRun_ProgramIsAFile_SaysFolderExpected()
    {
        using var tmp = new TempDir();
        var program = Cli.Compile("rmsnorm", tmp.At("c"));

        var r = RunX(tmp, Path.Combine(program, "model.mil"));

        Cli.AssertUserError(r, "model.mil", "is a file", "folder");
    }

    [Fact]
    public void MilRun_FolderWithoutModelMil_NamesModelMil()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp.At("empty"));

        var r = RunX(tmp, tmp.At("empty"));

        Cli.AssertUserError(r, "model.mil", "not found");
    }

    [Fact]
    public void MilRun_MissingWeightFile_NamesFileAndBlobPath()
    {
        using var tmp = new TempDir();
        var program = Cli.Compile("layernorm", tmp.At("c"));
        File.Delete(Path.Combine(program, "weights", "gamma.bin"));

        var r = RunX(tmp, program);

        Cli.AssertUserError(r, "gamma.bin", "does not exist");
    }

    [Fact]
    public void MilRun_BlobSentinelZeroed_CitesDeadBeef()
    {
        using var tmp = new TempDir();
        var program = Cli.Compile("layernorm", tmp.At("c"));
        var file = Path.Combine(program, "weights", "gamma.bin");
        var bytes = File.ReadAllBytes(file);
        Array.Clear(bytes, BlobFile.HeaderSize, 4);
        File.WriteAllBytes(file, bytes);

        var r = RunX(tmp, program);

        Cli.AssertUserError(r, "gamma.bin", "0xDEADBEEF");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(100)]
    [InlineData(130)]
    public void MilRun_TruncatedBlobFile_SaysTruncated(int keep)
    {
        using var tmp = new TempDir();
        var program = Cli.Compile("layernorm", tmp.At("c"));
        var file = Path.Combine(program, "weights", "gamma.bin");
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..keep]);

        var r = RunX(tmp, program);

        Cli.AssertUserError(r, "gamma.bin", "truncated");
    }

    [Fact]
    public void MilRun_BlobOffsetAtData_CitesR08()
    {
        using var tmp = new TempDir();
        var (blob, _) = BlobFile.Write([(DType.Fp16, (ReadOnlyMemory<byte>)TestData.Fp16Bytes(new float[128]))]);
        var program = TestData.WriteProgram(tmp.At("p"), TestData.Mil($"{T} x", "y",
            "tensor<fp16, [1, 64, 1, 1]> w = const()[name = string(\"w\"), val = tensor<fp16, [1, 64, 1, 1]>(BLOBFILE(path = string(\"@model_path/weights/w.bin\"), offset = uint64(128)))];",
            $"{T} y = mul(x = x, y = w)[name = string(\"y\")];"), ("weights/w.bin", blob));

        var r = RunX(tmp, program);

        Cli.AssertUserError(r, "R08", "0xDEADBEEF");
    }

    [Fact]
    public void MilRun_MilSyntaxError_NamesLineAndColumn()
    {
        using var tmp = new TempDir();
        var program = TestData.WriteProgram(tmp.At("p"), TestData.Mil($"{T} x", "y",
            $"{T} y = relu(x = x)[name = string(\"y\")]"));

        var r = RunX(tmp, program);

        Cli.AssertUserError(r, "invalid MIL program", "line 6", "column");
    }

    [Fact]
    public void MilRun_UnknownOp_NamesOp()
    {
        using var tmp = new TempDir();
        var program = TestData.WriteProgram(tmp.At("p"), TestData.Mil($"{T} x", "y",
            $"{T} y = frobnicate(x = x)[name = string(\"y\")];"));

        var r = RunX(tmp, program);

        Cli.AssertUserError(r, "frobnicate");
    }

    [Fact]
    public void MilRun_Gelu_CitesR10()
    {
        using var tmp = new TempDir();
        var program = TestData.WriteProgram(tmp.At("p"), TestData.Mil($"{T} x", "y",
            "string md = const()[name = string(\"md\"), val = string(\"TANH_APPROXIMATION\")];",
            $"{T} y = gelu(mode = md, x = x)[name = string(\"y\")];"));

        var r = RunX(tmp, program);

        Cli.AssertUserError(r, "R10", "gelu");
    }

    [Fact]
    public void MilRun_ConcatOnDefaultChip_CitesR01()
    {
        using var tmp = new TempDir();
        var program = TestData.WriteProgram(tmp.At("p"), TestData.Mil($"{T} x", "y",
            "int32 ax = const()[name = string(\"ax\"), val = int32(1)];",
            "bool il = const()[name = string(\"il\"), val = bool(false)];",
            "tensor<fp16, [1, 128, 1, 64]> y = concat(axis = ax, interleave = il, values = (x, x))[name = string(\"y\")];"));

        var r = RunX(tmp, program);

        Cli.AssertUserError(r, "R01", "concat");
    }

    [Fact]
    public void MilRun_BlobDtypeMismatch_NamesBothDtypes()
    {
        using var tmp = new TempDir();
        var (blob, _) = BlobFile.Write([(DType.Fp32, (ReadOnlyMemory<byte>)new byte[64 * 4])]);
        var program = TestData.WriteProgram(tmp.At("p"), TestData.Mil($"{T} x", "y",
            "tensor<fp16, [1, 64, 1, 1]> w = const()[name = string(\"w\"), val = tensor<fp16, [1, 64, 1, 1]>(BLOBFILE(path = string(\"@model_path/weights/w.bin\"), offset = uint64(64)))];",
            $"{T} y = mul(x = x, y = w)[name = string(\"y\")];"), ("weights/w.bin", blob));

        var r = RunX(tmp, program);

        Cli.AssertUserError(r, "w.bin", "fp32", "fp16");
    }

    [Fact]
    public void MilRun_WeightPathEscapesFolder_Rejected()
    {
        using var tmp = new TempDir();
        var program = TestData.WriteProgram(tmp.At("p"), TestData.Mil($"{T} x", "y",
            "tensor<fp16, [1, 64, 1, 1]> w = const()[name = string(\"w\"), val = tensor<fp16, [1, 64, 1, 1]>(BLOBFILE(path = string(\"@model_path/../w.bin\"), offset = uint64(64)))];",
            $"{T} y = mul(x = x, y = w)[name = string(\"y\")];"));

        var r = RunX(tmp, program);

        Cli.AssertUserError(r, "../w.bin", "inside the program folder");
    }

    [Fact]
    public void MilRun_InputsNotAlphabetical_CitesR19()
    {
        using var tmp = new TempDir();
        var program = TestData.WriteProgram(tmp.At("p"), TestData.Mil($"{T} x, {T} a", "y",
            $"{T} y = add(x = x, y = a)[name = string(\"y\")];"));

        var r = RunX(tmp, program);

        Cli.AssertUserError(r, "R19", "alphabetical");
    }

    [Fact]
    public void MilRun_OutputsNotAlphabetical_CitesR03()
    {
        using var tmp = new TempDir();
        var program = TestData.WriteProgram(tmp.At("p"), TestData.Mil($"{T} x", "z, m",
            $"{T} z = relu(x = x)[name = string(\"z\")];",
            $"{T} m = neg(x = x)[name = string(\"m\")];"));

        var r = RunX(tmp, program);

        Cli.AssertUserError(r, "R03", "alphabetical");
    }
}
