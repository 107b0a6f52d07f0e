// Weight blob files are byte-exact per ane-reference.md section 5 and reject corruption with a clear message.
using System.Buffers.Binary;
using Orion.Engine.Compiler;
using Orion.Engine.Graph;
using Orion.Engine.IO;
using Orion.Engine.Tensors;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.IO;

public sealed class BlobFileTests
{
    [Fact]
    public void Write_SingleFp16Blob_ByteExactLayout()
    {
        var data = new byte[] { 1, 2, 3, 4, 5, 6 };
        var (file, entries) = BlobFile.Write([(DType.Fp16, data)]);
        var expected = new byte[192];
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(0), 1);          // blob count
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(4), 2);          // version
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(64), 0xDEADBEEF); // sentinel
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(68), 1);         // dtype fp16
        BinaryPrimitives.WriteUInt64LittleEndian(expected.AsSpan(72), 6);         // size in bytes
        BinaryPrimitives.WriteUInt64LittleEndian(expected.AsSpan(80), 128);       // data offset
        data.CopyTo(expected, 128);
        Assert.Equal(expected, file);
        Assert.Equal(new BlobEntry(64, DType.Fp16, 128, 6), entries[0]);
    }

    [Fact]
    public void Write_MultiBlob_EntriesAlignedAndReadBack()
    {
        var (file, entries) = BlobFile.Write([(DType.Fp16, new byte[10]), (DType.Fp32, new byte[8]), (DType.Int8, new byte[3])]);
        Assert.Equal([64UL, 192UL, 320UL], entries.Select(e => e.MetadataOffset));
        Assert.All(entries, e => Assert.Equal(e.MetadataOffset + 64, e.DataOffset));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(file));
        Assert.Equal(entries, BlobFile.ReadAll(file, "w.bin"));
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(324)));
    }

    [Fact]
    public void Write_Alignment128_DataAligned()
    {
        var (_, entries) = BlobFile.Write([(DType.Fp16, new byte[10]), (DType.Fp16, new byte[10])], 128);
        Assert.All(entries, e => Assert.Equal(0UL, e.DataOffset % 128));
    }

    [Fact]
    public void Compiler_WeightFile_HoldsFp16RowMajorWeights()
    {
        var w = Ref.Random(64 * 64, 9, 0.1f);
        var b = new GraphBuilder("w");
        b.Output("y", b.Conv(b.Input("x", 64, 32), b.Const("w", new Shape(64, 64, 1, 1), w)));
        var p = OrionCompiler.Compile(b.Graph);
        var file = p.Weights["@model_path/weights/w.bin"];
        Assert.Equal(128 + 64 * 64 * 2, file.Length);
        for (int i = 0; i < w.Length; i++)
            Assert.Equal(BitConverter.HalfToUInt16Bits((Half)w[i]), BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(128 + 2 * i)));
    }

    [Theory]
    [InlineData(0, "version")]
    [InlineData(64, "0xDEADBEEF")]
    [InlineData(68, "dtype code")]
    [InlineData(72, "beyond")]
    public void ReadEntry_CorruptField_ClearError(int offset, string expected)
    {
        var (file, _) = BlobFile.Write([(DType.Fp16, new byte[8])]);
        if (offset == 0) file[4] = 9;
        else if (offset == 72) file[72] = 200;
        else file[offset] ^= 0x5A;
        var e = Assert.Throws<FormatException>(() => BlobFile.ReadEntry(file, 64, "weights/w.bin"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("weights/w.bin", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadEntry_Truncated_ClearError()
    {
        var (file, _) = BlobFile.Write([(DType.Fp16, new byte[256])]);
        Assert.Throws<FormatException>(() => BlobFile.ReadEntry(file.AsSpan(0, 200), 64, "w.bin"));
        Assert.Throws<FormatException>(() => BlobFile.ReadEntry(file.AsSpan(0, 40), 64, "w.bin"));
        Assert.Throws<FormatException>(() => BlobFile.ReadEntry(file, 128, "w.bin"));
    }
}
