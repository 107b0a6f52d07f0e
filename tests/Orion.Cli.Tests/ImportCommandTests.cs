// `orion import llama2c|llmc` (cli-contract.md): a converted checkpoint that eval and generate read, and clear errors
// for files that are not what the command expects.
using Xunit;

namespace Orion.Cli.Tests;

public sealed class ImportCommandTests
{
    // A llama2.c legacy file: 7 int32 header, then fp32 tensors in llama2.c order (freq_cis tables included).
    private static string WriteLlama2c(string path, int dim = 64, int hidden = 192, int layers = 2, int heads = 2, int vocab = 256, int seq = 32)
    {
        using var w = new BinaryWriter(File.Create(path));
        foreach (var v in new[] { dim, hidden, layers, heads, heads, vocab, seq }) w.Write(v);
        long floats = (long)vocab * dim + layers * (long)dim + 4L * layers * dim * dim + layers * (long)dim + 3L * layers * hidden * dim + dim + (long)seq * (dim / heads);
        var rng = new Random(5);
        for (long i = 0; i < floats; i++) w.Write((float)(rng.NextDouble() - 0.5) * 0.1f);
        return path;
    }

    [Fact]
    public void ImportLlama2c_SmallModel_EvalAndGenerateReadTheFolder()
    {
        using var tmp = new TempDir();
        var file = WriteLlama2c(tmp.At("tiny.bin"));
        var r = Cli.Ok("import", "llama2c", file, "--out", tmp.At("ck"), "--tokenizer", "byte");
        Assert.Contains("stories-L2-C64", r.Out, StringComparison.Ordinal);
        var eval = Cli.Ok("eval", "--checkpoint", tmp.At("ck"), "--data", "builtin", "--batches", "1", "--device", "emulated");
        Assert.Matches(@"loss \d+\.\d+\s*$", eval.Out);
        var gen = Cli.Ok("generate", "--checkpoint", tmp.At("ck"), "--prompt", "Hi", "--tokens", "5", "--device", "emulated");
        Assert.StartsWith("Hi", gen.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportLlama2c_Truncated_ClearErrorNamingTheFile()
    {
        using var tmp = new TempDir();
        var file = WriteLlama2c(tmp.At("tiny.bin"));
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length - 100)]);
        var r = Cli.Run("import", "llama2c", file, "--out", tmp.At("ck"));
        Cli.AssertUserError(r, "tiny.bin", "truncated");
        Assert.False(Directory.Exists(tmp.At("ck")));
    }

    [Fact]
    public void ImportLlmc_TokenShardGiven_ErrorSaysItIsAShard()
    {
        using var tmp = new TempDir();
        var file = tmp.At("shard.bin");
        using (var w = new BinaryWriter(File.Create(file)))
        {
            w.Write(20240520); w.Write(1); w.Write(4);
            for (int i = 3; i < 256; i++) w.Write(0);
            for (int i = 0; i < 4; i++) w.Write((ushort)i);
        }
        var r = Cli.Run("import", "llmc", file, "--out", tmp.At("ck"));
        Cli.AssertUserError(r, "shard.bin", "20240326");
    }

    [Fact]
    public void Generate_ImportedWithoutTokenizer_AsksForOne()
    {
        using var tmp = new TempDir();
        Cli.Ok("import", "llama2c", WriteLlama2c(tmp.At("tiny.bin")), "--out", tmp.At("ck"));
        var r = Cli.Run("generate", "--checkpoint", tmp.At("ck"), "--prompt", "Hi", "--device", "emulated");
        Cli.AssertUserError(r, "no tokenizer", "--tokenizer");
    }
}
