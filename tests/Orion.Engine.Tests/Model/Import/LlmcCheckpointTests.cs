// llm.c GPT-2 checkpoints: every tensor lands in its named view, bf16 widens exactly, the padded vocabulary rows are
// dropped, and bad files (magic, version, header fields, truncated, trailing bytes) are refused naming file and fault.
using System.Buffers.Binary;
using Orion.Engine.Model;
using Orion.Engine.Model.Import;
using Xunit;
using static Orion.Engine.Tests.Model.Import.CheckpointFiles;

namespace Orion.Engine.Tests.Model.Import;

public sealed class LlmcCheckpointTests
{
    // V 10 padded to 16, maxT 8, L 2, NH 2, C 4.
    private const int V = 10, Vp = 16, MaxT = 8, L = 2, NH = 2, C = 4;

    private static InvalidDataException Refused(byte[] bytes, string name = "gpt2.bin") =>
        Assert.Throws<InvalidDataException>(() => LlmcCheckpoint.Parse(bytes, name));

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Parse_EveryTensorLandsInItsNamedView(int version)
    {
        var model = LlmcCheckpoint.Parse(Llmc(MaxT, V, L, NH, C, Vp, version), "gpt2.bin");
        Func<long, float> value = version == 5 ? Bf16Value : Value;
        var p = model.Parameters;
        long offset = 0;
        foreach (var (name, shape) in Gpt2Tensors(Vp, MaxT, L, C))
        {
            long size = shape.Aggregate(1L, (a, d) => a * d);
            long kept = name == "wte" ? (long)V * C : size; // rows V..Vp-1 are padding
            var expected = Enumerable.Range(0, (int)kept).Select(i => value(offset + i)).ToArray();
            Assert.Equal(expected, p[name].ToArray());
            if (shape.Length > 1 && shape[0] == L && name is not ("wte" or "wpe"))
            {
                int layerSize = (int)(size / L);
                Assert.Equal(expected.AsSpan(layerSize, layerSize).ToArray(), p.Layer(name, 1).ToArray());
            }
            offset += size;
        }
        Assert.Equal(p.Data.Length, p.Layout.Count);
    }

    [Fact]
    public void Parse_Config_FromTheHeader()
    {
        var model = LlmcCheckpoint.Parse(Llmc(MaxT, V, L, NH, C, Vp), "gpt2.bin");
        Assert.Equal(new ModelConfig("gpt2-L2-C4", ModelFamily.Gpt2, V, MaxT, L, C, NH, 4 * C), model.Config);
        Assert.Contains("gpt2.bin", model.Source, StringComparison.Ordinal);
        Assert.Contains("version 3, fp32", model.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PaddedVocabulary_IsDropped()
    {
        var p = LlmcCheckpoint.Parse(Llmc(MaxT, V, L, NH, C, Vp), "gpt2.bin").Parameters;
        Assert.Equal(V * C, p["wte"].Length);
        Assert.Equal(Value((long)Vp * C), p["wpe"][0]); // wpe follows all Vp rows in the file
    }

    [Fact]
    public void Parse_Bf16_WidensExactly()
    {
        var p = LlmcCheckpoint.Parse(Llmc(MaxT, V, L, NH, C, Vp, version: 5), "gpt2.bin").Parameters;
        Assert.Equal(1f, p["wte"][0]);         // 0x3F80
        Assert.Equal(1.0078125f, p["wte"][1]); // 0x3F81
        Assert.Equal(1.5f, p["wpe"][0]);       // 0x3FC0: file element Vp * C = 64, after the padding rows
    }

    [Fact]
    public void TensorReader_Bf16_IsTheHighHalfOfTheFloat()
    {
        byte[] bits = [0x80, 0x3F, 0x00, 0xC0, 0x80, 0x7F, 0x01, 0x00, 0x49, 0x40]; // 1, -2, +inf, smallest subnormal, 3.140625
        var values = new float[5];
        new TensorReader(new MemoryStream(bits), bf16: true).Read(values);
        Assert.Equal([1f, -2f, float.PositiveInfinity, BitConverter.Int32BitsToSingle(0x10000), 3.140625f], values);
    }

    [Fact]
    public void Named_ShapeOfGpt2_124M_GetsThePresetName()
    {
        var shape = new ModelConfig("gpt2.bin", ModelFamily.Gpt2, 50257, 1024, 12, 768, 12, 3072);
        Assert.Equal("gpt2-124m", ImportChecks.Named(shape, "gpt2-124m", "gpt2-L12-C768").Name);
        Assert.Equal("gpt2-L12-C768", ImportChecks.Named(shape with { MaxSeq = 512 }, "gpt2-124m", "gpt2-L12-C768").Name);
    }

    [Fact]
    public void Read_File_SameAsParse()
    {
        var path = Path.Combine(Path.GetTempPath(), $"orion-llmc-{Guid.NewGuid():N}.bin");
        try
        {
            var bytes = Llmc(MaxT, V, L, NH, C, Vp, version: 5);
            File.WriteAllBytes(path, bytes);
            var read = LlmcCheckpoint.Read(path);
            Assert.Equal(LlmcCheckpoint.Parse(bytes, path).Parameters.Data, read.Parameters.Data);
            Assert.Contains(path, read.Source, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_MissingFile_SaysWhatIsExpected()
    {
        var e = Assert.Throws<FileNotFoundException>(() => LlmcCheckpoint.Read("/nonexistent/gpt2_124M.bin"));
        Assert.Contains("/nonexistent/gpt2_124M.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("magic 20240326", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongMagic_SaysWhatTheFileIsNot()
    {
        var e = Refused(Llmc(MaxT, V, L, NH, C, Vp, magic: 12345));
        Assert.Contains("gpt2.bin: magic 12345, expected 20240326: not an llm.c GPT-2 checkpoint", e.Message, StringComparison.Ordinal);
        Assert.Contains("token shards have magic 20240520", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TokenShard_IsRecognised()
    {
        var e = Refused(Orion.Engine.Data.TokenShard.Serialize([1, 2, 3]), "train.bin");
        Assert.Contains("train.bin: magic 20240520", e.Message, StringComparison.Ordinal);
        Assert.Contains("this is an llm.c token shard", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongVersion_NamesSupportedVersions()
    {
        var e = Refused(Llmc(MaxT, V, L, NH, C, Vp, version: 2));
        Assert.Contains("gpt2.bin: version 2, expected 3 (fp32 parameters) or 5 (bf16 parameters)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Truncated_SaysExpectedAndActualBytes()
    {
        var bytes = Llmc(MaxT, V, L, NH, C, Vp);
        var e = Refused(bytes[..^4]);
        Assert.Contains("gpt2.bin: the header (maxT 8, V 10, Vp 16, L 2, NH 2, C 4)", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{bytes.Length:N0} bytes with the 1,024-byte header; the file has {bytes.Length - 4:N0} bytes, 4 bytes short: the file is truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TrailingBytes_Refused()
    {
        var bytes = Llmc(MaxT, V, L, NH, C, Vp);
        var e = Refused([.. bytes, 0, 0]);
        Assert.Contains($"the file has {bytes.Length + 2:N0} bytes, 2 trailing bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadHeaderFields_NameTheField()
    {
        Assert.Contains("gpt2.bin: padded_vocab_size 8 is smaller than vocab_size 10", Refused(Llmc(MaxT, V, L, NH, C, vp: 8)).Message, StringComparison.Ordinal);
        Assert.Contains("gpt2.bin: channels 4 is not a multiple of num_heads 3", Refused(Llmc(MaxT, V, L, 3, C, Vp)).Message, StringComparison.Ordinal);
        Assert.Contains("gpt2.bin: num_layers (header[4]) is 0; expected a positive number", Refused(Llmc(MaxT, V, 0, NH, C, Vp)).Message, StringComparison.Ordinal);
        Assert.Contains("shorter than the 1,024-byte llm.c checkpoint header", Refused(new byte[100]).Message, StringComparison.Ordinal);
        var huge = Llmc(MaxT, V, L, NH, C, Vp);
        BinaryPrimitives.WriteInt32LittleEndian(huge.AsSpan(16), 1 << 30); // L
        BinaryPrimitives.WriteInt32LittleEndian(huge.AsSpan(24), 1 << 30); // C
        Assert.Contains("describes more parameters than any file can hold", Refused(huge).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_VocabBeyondUInt16_NamesFileAndModel()
    {
        var e = Refused(Llmc(MaxT, 70000, L, NH, C, 70016));
        Assert.Contains("gpt2.bin: model 'gpt2-L2-C4': vocab 70000 does not fit the uint16 token format", e.Message, StringComparison.Ordinal);
    }
}
