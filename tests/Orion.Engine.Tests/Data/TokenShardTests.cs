// llm.c token shards: exact header layout, round trip, and every kind of bad file refused naming what is wrong.
using System.Buffers.Binary;
using Orion.Engine.Data;
using Xunit;

namespace Orion.Engine.Tests.Data;

public sealed class TokenShardTests
{
    [Fact]
    public void Serialize_HeaderLayoutOfLlmC()
    {
        var bytes = TokenShard.Serialize([1, 2, 65535]);
        Assert.Equal(1024 + 6, bytes.Length);
        Assert.Equal(20240520, BinaryPrimitives.ReadInt32LittleEndian(bytes));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)));
        Assert.All(bytes.AsSpan(12, 1024 - 12).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(new byte[] { 1, 0, 2, 0, 255, 255 }, bytes.AsSpan(1024).ToArray());
    }

    [Fact]
    public void WriteThenRead_SameTokens()
    {
        var path = Path.Combine(Path.GetTempPath(), $"orion-shard-{Guid.NewGuid():N}.bin");
        try
        {
            ushort[] tokens = [50256, 15496, 11, 0, 7];
            TokenShard.Write(path, tokens);
            Assert.Equal(tokens, TokenShard.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_Truncated_NamesCountsAndBytes()
    {
        var bytes = TokenShard.Serialize([1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => TokenShard.Parse(bytes.AsSpan(0, bytes.Length - 1), "train.bin"));
        Assert.Contains("train.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("3 tokens", e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ShorterThanHeader_Refused()
    {
        var e = Assert.Throws<InvalidDataException>(() => TokenShard.Parse(new byte[100], "x.bin"));
        Assert.Contains("shorter than the 1024-byte", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CheckpointMagic_PointsAtTheMixUp()
    {
        var bytes = TokenShard.Serialize([1]);
        BinaryPrimitives.WriteInt32LittleEndian(bytes, 20240326);
        var e = Assert.Throws<InvalidDataException>(() => TokenShard.Parse(bytes, "gpt2.bin"));
        Assert.Contains("magic 20240326", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongVersionOrNegativeCount_Refused()
    {
        var bytes = TokenShard.Serialize([1]);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 2);
        Assert.Contains("version 2", Assert.Throws<InvalidDataException>(() => TokenShard.Parse(bytes, "v.bin")).Message, StringComparison.Ordinal);
        bytes = TokenShard.Serialize([1]);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), -1);
        Assert.Throws<InvalidDataException>(() => TokenShard.Parse(bytes, "n.bin"));
    }

    [Fact]
    public void Read_MissingFile_SaysWhatIsExpected()
    {
        var e = Assert.Throws<FileNotFoundException>(() => TokenShard.Read("/nonexistent/shard.bin"));
        Assert.Contains("llm.c", e.Message, StringComparison.Ordinal);
    }
}
