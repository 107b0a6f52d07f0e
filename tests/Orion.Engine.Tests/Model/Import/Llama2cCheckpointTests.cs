// llama2.c legacy checkpoints: every tensor lands in its named view, the RoPE tables are skipped, and unsupported
// (grouped-query attention, unshared classifier) or bad files are refused naming the file and the problem.
using System.Buffers.Binary;
using Orion.Engine.Model;
using Orion.Engine.Model.Import;
using Xunit;
using static Orion.Engine.Tests.Model.Import.CheckpointFiles;

namespace Orion.Engine.Tests.Model.Import;

public sealed class Llama2cCheckpointTests
{
    // dim 8, hidden 12, 2 layers, 2 heads (head size 4), vocab 10, seq 4.
    private const int Dim = 8, Hidden = 12, L = 2, Heads = 2, Vocab = 10, Seq = 4;

    private static InvalidDataException Refused(byte[] bytes, string name = "stories.bin") =>
        Assert.Throws<InvalidDataException>(() => Llama2cCheckpoint.Parse(bytes, name));

    [Fact]
    public void Parse_EveryTensorLandsInItsNamedView()
    {
        var p = Llama2cCheckpoint.Parse(Llama2c(Dim, Hidden, L, Heads, Heads, Vocab, Seq), "stories.bin").Parameters;
        long offset = 0;
        foreach (var (name, shape) in LlamaTensors(Dim, Hidden, L, Heads, Heads, Vocab, Seq, wcls: false))
        {
            long size = shape.Aggregate(1L, (a, d) => a * d);
            if (name.StartsWith("freq_cis", StringComparison.Ordinal))
            {
                Assert.False(p.Layout.Contains(name));
            }
            else
            {
                var expected = Enumerable.Range(0, (int)size).Select(i => Value(offset + i)).ToArray();
                Assert.Equal(expected, p[name].ToArray());
                if (name is not ("tok_embeddings" or "rms_final"))
                    Assert.Equal(expected.AsSpan((int)(size / L), (int)(size / L)).ToArray(), p.Layer(name, 1).ToArray());
            }
            offset += size;
        }
    }

    [Fact]
    public void Parse_W1OfLayerOne_IsTheFileSlice()
    {
        var p = Llama2cCheckpoint.Parse(Llama2c(Dim, Hidden, L, Heads, Heads, Vocab, Seq), "stories.bin").Parameters;
        // tok_embeddings, rms_att, wq, wk, wv, wo, rms_ffn, then w1 layer 0, then w1 layer 1.
        long before = Vocab * Dim + L * Dim + 4L * L * Dim * Dim + L * Dim + (long)Hidden * Dim;
        Assert.Equal(Value(before), p.Layer("w1", 1)[0]);
        Assert.Equal(Value(before + Hidden * Dim - 1), p.Layer("w1", 1)[^1]);
    }

    [Fact]
    public void Parse_Config_FromTheHeader()
    {
        var model = Llama2cCheckpoint.Parse(Llama2c(Dim, Hidden, L, Heads, Heads, Vocab, Seq), "stories.bin");
        Assert.Equal(new ModelConfig("stories-L2-C8", ModelFamily.Llama, Vocab, Seq, L, Dim, Heads, Hidden), model.Config);
        Assert.Contains("llama2.c checkpoint 'stories.bin'", model.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Named_ShapeOfStories110M_GetsThePresetName()
    {
        var shape = new ModelConfig("x.bin", ModelFamily.Llama, 32000, 256, 12, 768, 12, 2048);
        Assert.Equal("stories-110m", ImportChecks.Named(shape, "stories-110m", "stories-L12-C768").Name);
        Assert.Equal("stories-L12-C768", ImportChecks.Named(shape with { Hidden = 3072 }, "stories-110m", "stories-L12-C768").Name);
    }

    [Fact]
    public void Read_File_SameAsParse()
    {
        var path = Path.Combine(Path.GetTempPath(), $"orion-llama2c-{Guid.NewGuid():N}.bin");
        try
        {
            var bytes = Llama2c(Dim, Hidden, L, Heads, Heads, Vocab, Seq);
            File.WriteAllBytes(path, bytes);
            Assert.Equal(Llama2cCheckpoint.Parse(bytes, path).Parameters.Data, Llama2cCheckpoint.Read(path).Parameters.Data);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_MissingFile_SaysWhatIsExpected()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Llama2cCheckpoint.Read("/nonexistent/stories15M.bin"));
        Assert.Contains("/nonexistent/stories15M.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("7 int32 header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GroupedQueryAttention_IsRefusedAsUnsupported()
    {
        var e = Refused(Llama2c(Dim, Hidden, L, Heads, 1, Vocab, Seq));
        Assert.Contains("stories.bin: n_kv_heads is 1 but n_heads is 2: grouped-query attention is not supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnsharedClassifier_IsRefusedAsUnsupported()
    {
        var e = Refused(Llama2c(Dim, Hidden, L, Heads, Heads, -Vocab, Seq));
        Assert.Contains("stories.bin: vocab_size is -10 (negative): the file has its own classifier wcls, which is not supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Truncated_SaysExpectedAndActualBytes()
    {
        var bytes = Llama2c(Dim, Hidden, L, Heads, Heads, Vocab, Seq);
        var e = Refused(bytes[..^8]);
        Assert.Contains("stories.bin: the header (dim 8, hidden_dim 12, n_layers 2, n_heads 2, n_kv_heads 2, vocab_size 10, seq_len 4)", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{bytes.Length:N0} bytes with the 28-byte header; the file has {bytes.Length - 8:N0} bytes, 8 bytes short: the file is truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TrailingBytes_Refused()
    {
        var bytes = Llama2c(Dim, Hidden, L, Heads, Heads, Vocab, Seq);
        var e = Refused([.. bytes, 1, 2, 3, 4]);
        Assert.Contains("4 trailing bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("not a legacy llama2.c checkpoint", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OtherFormats_AreNamed()
    {
        var versioned = Llama2c(Dim, Hidden, L, Heads, Heads, Vocab, Seq);
        "24ka"u8.CopyTo(versioned); // 0x616b3432 little-endian, as export.py writes it
        Assert.Contains("stories.bin: starts with the magic 'ak42'", Refused(versioned).Message, StringComparison.Ordinal);
        Assert.Contains("this is an llm.c GPT-2 checkpoint", Refused(Llmc(8, 10, 2, 2, 4, 16)).Message, StringComparison.Ordinal);
        Assert.Contains("shorter than the 28-byte llama2.c header", Refused(new byte[10]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadHeaderFields_NameTheField()
    {
        Assert.Contains("stories.bin: dim 8 is not a multiple of n_heads 3", Refused(Llama2c(Dim, Hidden, L, 3, 3, Vocab, Seq)).Message, StringComparison.Ordinal);
        var negative = Llama2c(Dim, Hidden, L, Heads, Heads, Vocab, Seq);
        BinaryPrimitives.WriteInt32LittleEndian(negative.AsSpan(4), -1);
        Assert.Contains("stories.bin: hidden_dim (header[1]) is -1; expected a positive number", Refused(negative).Message, StringComparison.Ordinal);
        // A well-formed file whose odd head size RoPE cannot rotate: our own rule, still naming the file.
        Assert.Contains("stories.bin: model 'stories-L2-C6': head size 3 is odd", Refused(Llama2c(6, Hidden, L, 2, 2, Vocab, Seq)).Message, StringComparison.Ordinal);
    }
}
