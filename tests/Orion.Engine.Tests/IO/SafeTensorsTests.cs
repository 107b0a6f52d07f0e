// safetensors: the exact bytes of a small file, deterministic writing, round trips, and every kind of corruption
// refused naming the file and what is wrong.
using System.Buffers.Binary;
using System.Text;
using Orion.Engine.IO;
using Xunit;

namespace Orion.Engine.Tests.IO;

public sealed class SafeTensorsTests
{
    private static Dictionary<string, SafeTensor> Two() => new()
    {
        ["wte"] = SafeTensor.Float32([2, 2], [1f, -2f, 0.5f, 3f]),
        ["b"] = SafeTensor.Float32([1], [7f]),
    };

    [Fact]
    public void Serialize_ExactLayout_SortedNamesPaddedHeader()
    {
        var bytes = SafeTensors.Serialize(Two(), new Dictionary<string, string> { ["format"] = "pt" });
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, n % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)n).TrimEnd(' ');
        Assert.Equal("{\"__metadata__\":{\"format\":\"pt\"},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"wte\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[4,20]}}", header);
        Assert.Equal(8 + (int)n + 20, bytes.Length);
        Assert.Equal(7f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)n)));
        Assert.Equal(-2f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)n + 8)));
    }

    [Fact]
    public void Serialize_SameTensorsAnyInsertionOrder_SameBytes()
    {
        var reversed = Two().Reverse().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(SafeTensors.Serialize(Two()), SafeTensors.Serialize(reversed));
    }

    [Fact]
    public void WriteRead_RoundTrip()
    {
        var path = Path.Combine(Path.GetTempPath(), $"orion-st-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Write(path, Two(), new Dictionary<string, string> { ["step"] = "12" });
            var c = SafeTensors.Read(path);
            Assert.Equal([1f, -2f, 0.5f, 3f], c.Tensors["wte"].ToFloat32());
            Assert.Equal([2L, 2L], c.Tensors["wte"].Shape);
            Assert.Equal("12", c.Metadata["step"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_Truncated_Refused()
    {
        var bytes = SafeTensors.Serialize(Two());
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Parse(bytes.AsSpan(0, bytes.Length - 3), "model.safetensors"));
        Assert.StartsWith("model.safetensors: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => SafeTensors.Parse(bytes.AsSpan(0, 5), "m"));
    }

    [Fact]
    public void Parse_HeaderLengthBeyondFile_Refused()
    {
        var bytes = SafeTensors.Serialize(Two());
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        Assert.Contains("header length", Assert.Throws<InvalidDataException>(() => SafeTensors.Parse(bytes, "m")).Message, StringComparison.Ordinal);
    }

    private static byte[] WithHeader(string json, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        return bytes;
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 8, "needs 8 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}", 8, "overlap")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 4, "outside")]
    [InlineData("{\"a\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1, "unknown safetensors dtype")]
    [InlineData("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "malformed entry")]
    [InlineData("{\"a\":", 4, "malformed")]
    [InlineData("[1,2]", 0, "not an object")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "twice")]
    public void Parse_CorruptHeader_RefusedNamingTheProblem(string json, int dataBytes, string mention)
    {
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Parse(WithHeader(json, dataBytes), "opt.safetensors"));
        Assert.StartsWith("opt.safetensors: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(mention, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_DataNotMatchingShape_Refused()
    {
        var bad = new Dictionary<string, SafeTensor> { ["x"] = new("F32", [3], new byte[8]) };
        Assert.Throws<ArgumentException>(() => SafeTensors.Serialize(bad));
    }
}
