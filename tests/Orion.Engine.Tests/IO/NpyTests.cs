// Tests for the .npy reader/writer: round trips, a byte-exact file derived from the NPY format spec, and corruption.
using System.Buffers.Binary;
using System.Text;
using Orion.Engine.IO;
using Orion.Engine.Tensors;
using Xunit;

namespace Orion.Engine.Tests.IO;

public sealed class NpyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "orion-npy-" + Guid.NewGuid().ToString("N"));

    public NpyTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<DType, int[]> Shapes() => new()
    {
        { DType.Fp32, [] },
        { DType.Fp32, [5] },
        { DType.Fp32, [2, 3] },
        { DType.Fp32, [1, 4, 1, 3] },
        { DType.Fp32, [0, 3] },
        { DType.Fp16, [] },
        { DType.Fp16, [7] },
        { DType.Fp16, [3, 2] },
        { DType.Fp16, [2, 3, 1, 4] },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WriteRead_AnyShape_RoundTrips(DType dtype, int[] shape)
    {
        int n = shape.Aggregate(1, (a, d) => a * d);
        var data = Enumerable.Range(0, n).Select(i => (i - 3) * 0.375f).ToArray(); // exact in fp16
        var path = Path.Combine(_dir, "a.npy");

        Npy.Write(path, new NpyArray(dtype, shape, data));
        var back = Npy.Read(path);

        Assert.Equal(dtype, back.DType);
        Assert.Equal(shape, back.Shape);
        Assert.Equal(data, back.Data);
    }

    [Fact]
    public void Write_Fp16_RoundsToNearestHalf()
    {
        var path = Path.Combine(_dir, "h.npy");
        Npy.Write(path, new NpyArray(DType.Fp16, [3], [0.1f, 1e6f, -2.5f]));
        var back = Npy.Read(path);
        Assert.Equal([Fp16.Round(0.1f), 65504f, -2.5f], back.Data);
        Assert.Equal(128 + 3 * 2, new FileInfo(path).Length);
    }

    [Fact]
    public void ToBytes_TinyFp32Vector_MatchesSpecByteForByte()
    {
        // Spec 1.0: "\x93NUMPY", 0x01 0x00, uint16 LE header length, header (dict literal, space-padded, '\n')
        // so that 10 + length is a multiple of 64, then the raw little-endian data.
        var expected = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 0x01, 0x00, 118, 0x00 };
        const string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"; // 57 characters
        expected.AddRange(Encoding.ASCII.GetBytes(dict));
        expected.AddRange(Enumerable.Repeat((byte)' ', 118 - 57 - 1));
        expected.Add((byte)'\n');
        expected.AddRange([0x00, 0x00, 0x80, 0x3F]); // 1.0f
        expected.AddRange([0x00, 0x00, 0x00, 0xC0]); // -2.0f

        var bytes = Npy.ToBytes(new NpyArray(DType.Fp32, [2], [1f, -2f]));

        Assert.Equal(expected.ToArray(), bytes);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Read_Version2And3Header_Parses(int major)
    {
        var bytes = Build(major, "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1, 2)}", Floats(4f, 5f));
        var a = Npy.Read(new MemoryStream(bytes), "v.npy");
        Assert.Equal([1, 2], a.Shape);
        Assert.Equal([4f, 5f], a.Data);
    }

    [Fact]
    public void Read_OtherDtypes_ConvertToFloat()
    {
        var f8 = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(f8, 1.5);
        BinaryPrimitives.WriteDoubleLittleEndian(f8.AsSpan(8), -3.25);
        Assert.Equal([1.5f, -3.25f], ReadBuilt("<f8", "(2,)", f8).Data);

        var i4 = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(i4, -7);
        BinaryPrimitives.WriteInt32LittleEndian(i4.AsSpan(4), 123456);
        var ints = ReadBuilt("<i4", "(2,)", i4);
        Assert.Equal(DType.Int32, ints.DType);
        Assert.Equal([-7f, 123456f], ints.Data);

        Assert.Equal([-1f, 127f], ReadBuilt("|i1", "(2,)", [0xFF, 0x7F]).Data);
        Assert.Equal([255f, 7f], ReadBuilt("|u1", "(2,)", [0xFF, 0x07]).Data);
    }

    [Fact]
    public void Read_BadMagic_ThrowsNamingFile()
    {
        var bytes = Npy.ToBytes(new NpyArray(DType.Fp32, [1], [1f]));
        bytes[1] = (byte)'X';
        var ex = Assert.Throws<FormatException>(() => Npy.Read(new MemoryStream(bytes), "bad.npy"));
        Assert.Contains("bad.npy", ex.Message, StringComparison.Ordinal);
        Assert.Contains("magic", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileOnDiskWithBadMagic_MessageNamesPath()
    {
        var path = Path.Combine(_dir, "zero.npy");
        File.WriteAllBytes(path, new byte[64]);
        var ex = Assert.Throws<FormatException>(() => Npy.Read(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(40)]
    public void Read_TruncatedHeader_Throws(int keep)
    {
        var bytes = Npy.ToBytes(new NpyArray(DType.Fp32, [2], [1f, 2f]));
        var ex = Assert.Throws<FormatException>(() => Npy.Read(new MemoryStream(bytes[..keep]), "t.npy"));
        Assert.Contains("t.npy", ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,) ")]
    [InlineData("{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}")]
    [InlineData("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x)}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False}")]
    [InlineData("not a dict")]
    public void Read_UnparsableHeader_Throws(string header)
    {
        var ex = Assert.Throws<FormatException>(() => Npy.Read(new MemoryStream(Build(1, header, Floats(1f, 2f))), "h.npy"));
        Assert.Contains("h.npy", ex.Message, StringComparison.Ordinal);
        Assert.Contains("header", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BigEndian_ThrowsWithHint()
    {
        var ex = Assert.Throws<FormatException>(() => ReadBuilt(">f4", "(2,)", new byte[8]));
        Assert.Contains("big-endian", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'<f4'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FortranOrder_Throws()
    {
        var bytes = Build(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", Floats(1f, 2f));
        var ex = Assert.Throws<FormatException>(() => Npy.Read(new MemoryStream(bytes), "f.npy"));
        Assert.Contains("fortran_order", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnsupportedDtype_Throws()
    {
        var ex = Assert.Throws<FormatException>(() => ReadBuilt("<c8", "(1,)", new byte[8]));
        Assert.Contains("<c8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DataShorterThanShape_Throws()
    {
        var bytes = Npy.ToBytes(new NpyArray(DType.Fp32, [2, 3], new float[6]));
        var ex = Assert.Throws<FormatException>(() => Npy.Read(new MemoryStream(bytes[..^3]), "short.npy"));
        Assert.Contains("data is 21 bytes, expected 24", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ShapeDataMismatch_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Npy.ToBytes(new NpyArray(DType.Fp32, [2, 2], new float[3])));
    }

    private static NpyArray ReadBuilt(string descr, string shape, byte[] data) =>
        Npy.Read(new MemoryStream(Build(1, $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}", data)), "x.npy");

    private static byte[] Floats(params float[] v)
    {
        var b = new byte[v.Length * 4];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * 4), v[i]);
        return b;
    }

    /// <summary>A file image with an arbitrary header text (padded to 64 like numpy), for versions 1, 2 and 3.</summary>
    private static byte[] Build(int major, string dict, byte[] data)
    {
        int lenSize = major == 1 ? 2 : 4;
        int pre = 8 + lenSize;
        int headerLen = dict.Length + 1 + (64 - (pre + dict.Length + 1) % 64) % 64;
        var header = dict.PadRight(headerLen - 1) + "\n";
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        var len = new byte[lenSize];
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)headerLen);
        else BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)headerLen);
        ms.Write(len);
        ms.Write(Encoding.UTF8.GetBytes(header));
        ms.Write(data);
        return ms.ToArray();
    }
}
