// Core ML MIL weight blob storage, byte-exact per ane-reference.md section 5 (little-endian).
using System.Buffers.Binary;
using Orion.Engine.Tensors;

namespace Orion.Engine.IO;

/// <summary>One tensor inside a blob file: its metadata offset (what MIL's BLOBFILE offset names), dtype and data.</summary>
public sealed record BlobEntry(ulong MetadataOffset, DType DType, ulong DataOffset, ulong SizeBytes);

/// <summary>Reads and writes weight blob files: a 64-byte file header, then (64-byte metadata + data) chunks, each 64-byte aligned.</summary>
public static class BlobFile
{
    public const uint Sentinel = 0xDEADBEEF;
    public const int HeaderSize = 64;
    public const int MetadataSize = 64;
    public const uint Version = 2;

    /// <summary>Serialises tensors (raw little-endian data with their dtypes) into one file image. Returns the bytes and each entry.</summary>
    public static (byte[] File, BlobEntry[] Entries) Write(IReadOnlyList<(DType DType, ReadOnlyMemory<byte> Data)> blobs, int alignment = 64)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        if (blobs.Count == 0) throw new ArgumentException("a blob file holds at least one tensor", nameof(blobs));
        if (alignment < 64 || alignment % 64 != 0) throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "alignment must be a multiple of 64");
        var entries = new BlobEntry[blobs.Count];
        ulong pos = HeaderSize;
        for (int i = 0; i < blobs.Count; i++)
        {
            pos = Align(pos, (ulong)alignment);
            // Data follows its metadata; with alignment > 64 the data itself is aligned, the metadata sits just before it.
            ulong meta = alignment > 64 ? Align(pos + MetadataSize, (ulong)alignment) - MetadataSize : pos;
            ulong data = meta + MetadataSize;
            entries[i] = new BlobEntry(meta, blobs[i].DType, data, (ulong)blobs[i].Data.Length);
            pos = data + (ulong)blobs[i].Data.Length;
        }
        var file = new byte[checked((int)Align(pos, 64))];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(0), (uint)blobs.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), Version);
        for (int i = 0; i < blobs.Count; i++)
        {
            var e = entries[i];
            var m = file.AsSpan((int)e.MetadataOffset, MetadataSize);
            BinaryPrimitives.WriteUInt32LittleEndian(m, Sentinel);
            BinaryPrimitives.WriteUInt32LittleEndian(m[4..], DTypes.BlobCode(e.DType));
            BinaryPrimitives.WriteUInt64LittleEndian(m[8..], e.SizeBytes);
            BinaryPrimitives.WriteUInt64LittleEndian(m[16..], e.DataOffset);
            blobs[i].Data.Span.CopyTo(file.AsSpan((int)e.DataOffset));
        }
        return (file, entries);
    }

    /// <summary>Reads the entry whose metadata block sits at <paramref name="metadataOffset"/>, checking every field.</summary>
    public static BlobEntry ReadEntry(ReadOnlySpan<byte> file, ulong metadataOffset, string fileName)
    {
        if (file.Length < HeaderSize)
            throw new FormatException($"{fileName}: {file.Length} bytes is shorter than the {HeaderSize}-byte blob file header (file truncated or not a Core ML blob file)");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(file);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(file[4..]);
        if (version != Version)
            throw new FormatException($"{fileName}: blob file version is {version}, expected {Version} (not a Core ML MIL blob file)");
        if (count == 0)
            throw new FormatException($"{fileName}: blob count is 0, expected at least 1 (file truncated or not a Core ML blob file)");
        if (metadataOffset < HeaderSize || metadataOffset % 64 != 0 || metadataOffset + MetadataSize > (ulong)file.Length)
            throw new FormatException($"{fileName}: BLOBFILE offset {metadataOffset} does not point at a metadata block inside the {file.Length}-byte file (R08: the offset names the 64-byte metadata block, 64 for the first blob)");
        var m = file.Slice((int)metadataOffset, MetadataSize);
        uint sentinel = BinaryPrimitives.ReadUInt32LittleEndian(m);
        if (sentinel != Sentinel)
            throw new FormatException($"{fileName}: blob header sentinel at offset {metadataOffset} is 0x{sentinel:X8}, expected 0xDEADBEEF (file truncated, not a Core ML blob file, or the BLOBFILE offset points at data instead of metadata, R08)");
        uint code = BinaryPrimitives.ReadUInt32LittleEndian(m[4..]);
        DType dtype = code switch
        {
            1 => DType.Fp16,
            2 => DType.Fp32,
            3 => DType.UInt8,
            4 => DType.Int8,
            _ => throw new FormatException($"{fileName}: blob dtype code is {code}, expected 1 (fp16), 2 (fp32), 3 (uint8) or 4 (int8)"),
        };
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(m[8..]);
        ulong data = BinaryPrimitives.ReadUInt64LittleEndian(m[16..]);
        if (data < metadataOffset + MetadataSize || data + size > (ulong)file.Length)
            throw new FormatException($"{fileName}: blob at offset {metadataOffset} claims {size} bytes of data at {data}, beyond the {file.Length}-byte file (file truncated or size field wrong)");
        return new BlobEntry(metadataOffset, dtype, data, size);
    }

    /// <summary>Every entry of a blob file, in order.</summary>
    public static IReadOnlyList<BlobEntry> ReadAll(ReadOnlySpan<byte> file, string fileName)
    {
        var first = ReadEntry(file, HeaderSize, fileName);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(file);
        var list = new List<BlobEntry> { first };
        ulong pos = first.DataOffset + first.SizeBytes;
        for (int i = 1; i < count; i++)
        {
            pos = Align(pos, 64);
            // Aligned writers may leave zero gaps before a metadata block: skip to the next sentinel.
            while (pos + MetadataSize <= (ulong)file.Length && BinaryPrimitives.ReadUInt32LittleEndian(file[(int)pos..]) != Sentinel) pos += 64;
            var e = ReadEntry(file, pos, fileName);
            list.Add(e);
            pos = e.DataOffset + e.SizeBytes;
        }
        return list;
    }

    private static ulong Align(ulong v, ulong a) => (v + a - 1) / a * a;
}
