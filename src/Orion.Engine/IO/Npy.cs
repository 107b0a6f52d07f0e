// Reads and writes NumPy .npy files (format spec: numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
// Reads versions 1.0, 2.0 and 3.0 (little-endian f2/f4/f8/i4/i1/u1, C order); writes version 1.0 as fp16 or fp32.
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Orion.Engine.Tensors;

namespace Orion.Engine.IO;

/// <summary>
/// A dense C-order array read from or written to a .npy file. <see cref="DType"/> is the stored element type
/// (<c>&lt;f8</c> reads as <see cref="Tensors.DType.Fp32"/>: there is no fp64 in this project); <see cref="Data"/>
/// always holds the values as float. Rank 0 has an empty <see cref="Shape"/> and one value.
/// </summary>
public sealed record NpyArray(DType DType, int[] Shape, float[] Data)
{
    /// <summary>Product of <see cref="Shape"/> (1 for rank 0).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);
}

public static class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const string Hint = "expected a NumPy .npy file as written by numpy.save";

    public static NpyArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(fs, path);
    }

    /// <summary>Reads one array from <paramref name="stream"/>; <paramref name="name"/> names the source in errors.</summary>
    public static NpyArray Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        var preamble = new byte[8];
        ReadExactly(stream, preamble, name, "the 8-byte preamble (magic \\x93NUMPY + version)");
        if (!preamble.AsSpan(0, 6).SequenceEqual(Magic))
            throw Bad(name, $"magic is {Convert.ToHexString(preamble, 0, 6)}, expected 934E554D5059 (\"\\x93NUMPY\")", "the file is not a .npy file, or is an .npz archive (unzip it first)");
        int major = preamble[6], minor = preamble[7];
        if (major is < 1 or > 3 || minor != 0)
            throw Bad(name, $"format version is {major}.{minor}, expected 1.0, 2.0 or 3.0", "write it with a current numpy.save");

        var lenBytes = new byte[major == 1 ? 2 : 4];
        ReadExactly(stream, lenBytes, name, "the header length");
        long headerLen = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lenBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lenBytes);
        if (headerLen > 1 << 20)
            throw Bad(name, $"header length is {headerLen:N0} bytes, expected at most 1 MiB", "the file is corrupt");
        var headerBytes = new byte[headerLen];
        ReadExactly(stream, headerBytes, name, $"the {headerLen}-byte header");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);

        var (descr, fortran, shape) = ParseHeader(header, name);
        if (fortran)
            throw Bad(name, "fortran_order is True, expected False (C order)", "save a C-contiguous array: numpy.save(path, numpy.ascontiguousarray(a))");
        var (dtype, size, kind) = ParseDescr(descr, name);

        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
            if (count > Array.MaxLength)
                throw Bad(name, $"shape ({string.Join(", ", shape)}) holds more than {Array.MaxLength:N0} elements", "split the array into smaller files");
        }
        var raw = new byte[count * size];
        int got = stream.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
        if (got < raw.Length)
            throw Bad(name, $"data is {got:N0} bytes, expected {raw.Length:N0} ({count:N0} elements of '{descr}' for shape ({string.Join(", ", shape)}))", "the file is truncated");

        var data = new float[count];
        var r = raw.AsSpan();
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = kind switch
            {
                'e' => Fp16.ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(r[(i * 2)..])),
                'f' => BinaryPrimitives.ReadSingleLittleEndian(r[(i * 4)..]),
                'd' => (float)BinaryPrimitives.ReadDoubleLittleEndian(r[(i * 8)..]),
                'i' => BinaryPrimitives.ReadInt32LittleEndian(r[(i * 4)..]),
                'b' => (sbyte)r[i],
                _ => r[i],
            };
        }
        return new NpyArray(dtype, shape, data);
    }

    /// <summary>Writes a version 1.0 file atomically: fp16 when <see cref="NpyArray.DType"/> is Fp16, otherwise fp32.</summary>
    public static void Write(string path, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.WriteAllBytes(path, ToBytes(array));
    }

    public static void Write(Stream stream, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToBytes(array));
    }

    /// <summary>The complete file image of <paramref name="array"/> (version 1.0, header padded to 64 bytes).</summary>
    public static byte[] ToBytes(NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Shape.Any(d => d < 0))
            throw new ArgumentException($"shape ({string.Join(", ", array.Shape)}) has a negative dimension", nameof(array));
        if (array.ElementCount != array.Data.Length)
            throw new ArgumentException($"shape ({string.Join(", ", array.Shape)}) holds {array.ElementCount} elements but Data has {array.Data.Length}", nameof(array));
        bool half = array.DType == DType.Fp16;
        var shapeText = array.Shape.Length switch
        {
            0 => "()",
            1 => $"({array.Shape[0]},)",
            _ => "(" + string.Join(", ", array.Shape) + ")",
        };
        var dict = $"{{'descr': '{(half ? "<f2" : "<f4")}', 'fortran_order': False, 'shape': {shapeText}, }}";
        // magic(6) + version(2) + length(2) + dict + padding spaces + '\n' is a multiple of 64 (spec, version 1.0).
        int unpadded = 10 + dict.Length + 1;
        int headerLen = dict.Length + 1 + (64 - unpadded % 64) % 64;
        if (headerLen > ushort.MaxValue)
            throw new ArgumentException($"header of {headerLen} bytes does not fit a version 1.0 file", nameof(array));
        int elem = half ? 2 : 4;
        var bytes = new byte[10 + headerLen + (long)array.Data.Length * elem];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLen);
        var h = bytes.AsSpan(10, headerLen);
        h.Fill((byte)' ');
        Encoding.Latin1.GetBytes(dict, h);
        h[^1] = (byte)'\n';
        var d = bytes.AsSpan(10 + headerLen);
        for (int i = 0; i < array.Data.Length; i++)
        {
            if (half) BinaryPrimitives.WriteUInt16LittleEndian(d[(i * 2)..], Fp16.FromSingle(array.Data[i]));
            else BinaryPrimitives.WriteSingleLittleEndian(d[(i * 4)..], array.Data[i]);
        }
        return bytes;
    }

    private static (DType DType, int Size, char Kind) ParseDescr(string descr, string name)
    {
        if (descr.Length >= 2 && descr[0] == '>' && descr[1..] is not ("i1" or "u1"))
            throw Bad(name, $"dtype '{descr}' is big-endian, expected little-endian ('<{descr[1..]}')", "convert it first: numpy.save(path, a.astype(a.dtype.newbyteorder('<')))");
        return descr switch
        {
            "<f2" => (DType.Fp16, 2, 'e'),
            "<f4" => (DType.Fp32, 4, 'f'),
            "<f8" => (DType.Fp32, 8, 'd'),
            "<i4" => (DType.Int32, 4, 'i'),
            "|i1" or "<i1" or ">i1" => (DType.Int8, 1, 'b'),
            "|u1" or "<u1" or ">u1" => (DType.UInt8, 1, 'B'),
            _ => throw Bad(name, $"dtype '{descr}' is not supported, expected one of <f2, <f4, <f8, <i4, |i1, |u1", "convert it first, e.g. numpy.save(path, a.astype(numpy.float32))"),
        };
    }

    /// <summary>Parses the header's Python dict literal: {'descr': str, 'fortran_order': bool, 'shape': tuple of ints}.</summary>
    private static (string Descr, bool Fortran, int[] Shape) ParseHeader(string header, string name)
    {
        var p = new HeaderParser(header, name);
        string? descr = null;
        bool? fortran = null;
        int[]? shape = null;
        p.Expect('{');
        while (!p.TryConsume('}'))
        {
            var key = p.ReadString();
            p.Expect(':');
            switch (key)
            {
                case "descr": descr = p.ReadString(); break;
                case "fortran_order": fortran = p.ReadBool(); break;
                case "shape": shape = p.ReadIntTuple(); break;
                default: throw Bad(name, $"header has unknown key '{key}' in {header.Trim()}", "expected only 'descr', 'fortran_order' and 'shape'");
            }
            if (!p.TryConsume(','))
            {
                p.Expect('}');
                break;
            }
        }
        if (descr is null || fortran is null || shape is null)
            throw Bad(name, $"header {header.Trim()} lacks {(descr is null ? "'descr'" : fortran is null ? "'fortran_order'" : "'shape'")}", "a .npy header names descr, fortran_order and shape");
        return (descr, fortran.Value, shape);
    }

    private static void ReadExactly(Stream s, byte[] buffer, string name, string what)
    {
        int got = s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (got < buffer.Length)
            throw Bad(name, $"file ends after {got} of the {buffer.Length} bytes of {what}", "the file is truncated or empty");
    }

    internal static FormatException Bad(string name, string found, string hint) =>
        new($"{name}: {found} ({hint}; {Hint}).");

    /// <summary>A tiny scanner for the Python literal subset numpy writes in headers.</summary>
    private sealed class HeaderParser(string text, string name)
    {
        private int _pos;

        public void Expect(char c)
        {
            if (!TryConsume(c))
                throw Fail($"'{c}'");
        }

        public bool TryConsume(char c)
        {
            SkipSpace();
            if (_pos < text.Length && text[_pos] == c)
            {
                _pos++;
                return true;
            }
            return false;
        }

        public string ReadString()
        {
            SkipSpace();
            if (_pos >= text.Length || text[_pos] is not ('\'' or '"'))
                throw Fail("a quoted string");
            char q = text[_pos++];
            int end = text.IndexOf(q, _pos);
            if (end < 0) throw Fail($"a closing {q}");
            var s = text[_pos..end];
            _pos = end + 1;
            return s;
        }

        public bool ReadBool()
        {
            SkipSpace();
            if (string.CompareOrdinal(text, _pos, "True", 0, 4) == 0) { _pos += 4; return true; }
            if (string.CompareOrdinal(text, _pos, "False", 0, 5) == 0) { _pos += 5; return false; }
            throw Fail("True or False");
        }

        public int[] ReadIntTuple()
        {
            Expect('(');
            var dims = new List<int>();
            while (!TryConsume(')'))
            {
                SkipSpace();
                int start = _pos;
                while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
                if (!int.TryParse(text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out var d))
                    throw Fail("a non-negative dimension");
                if (_pos < text.Length && text[_pos] == 'L') _pos++; // Python 2 long suffix
                dims.Add(d);
                if (!TryConsume(','))
                {
                    Expect(')');
                    break;
                }
            }
            return dims.ToArray();
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private FormatException Fail(string expected)
        {
            var at = _pos < text.Length ? $"'{text[_pos]}'" : "the end";
            return Bad(name, $"header dict is unparsable: found {at} at character {_pos} of {text.TrimEnd()}, expected {expected}",
                "the header is corrupt");
        }
    }
}
