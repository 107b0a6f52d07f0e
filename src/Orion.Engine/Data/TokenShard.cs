// llm.c token shards: a header of 256 little-endian int32 (magic 20240520, version 1, token count, the rest zero)
// followed by the tokens as little-endian uint16. Reading checks every field against the file, so a truncated or
// foreign file is refused naming what is wrong instead of training on garbage.
using System.Buffers.Binary;
using Orion.Engine.IO;

namespace Orion.Engine.Data;

public static class TokenShard
{
    public const int Magic = 20240520;
    public const int Version = 1;
    public const int HeaderInts = 256;
    public const int HeaderBytes = HeaderInts * sizeof(int);

    public static ushort[] Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"token shard '{path}' does not exist (expected an llm.c .bin shard: 1 KiB header with magic {Magic}, then uint16 tokens)");
        return Parse(File.ReadAllBytes(path), path);
    }

    public static ushort[] Parse(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < HeaderBytes)
            throw new InvalidDataException($"{name}: {bytes.Length} bytes is shorter than the {HeaderBytes}-byte llm.c shard header; the file is truncated or not a token shard");
        int magic = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (magic != Magic)
            throw new InvalidDataException($"{name}: magic {magic}, expected {Magic} (an llm.c token shard); GPT-2 checkpoints use 20240326, so check you passed the data file");
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (version != Version)
            throw new InvalidDataException($"{name}: shard version {version}, expected {Version} (uint16 tokens)");
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        long expected = HeaderBytes + 2L * count;
        if (count < 0 || bytes.Length != expected)
            throw new InvalidDataException($"{name}: header says {count:N0} tokens ({expected:N0} bytes with the header), the file has {bytes.Length:N0} bytes; it is truncated or was written incompletely");
        var tokens = new ushort[count];
        var body = bytes[HeaderBytes..];
        for (int i = 0; i < count; i++) tokens[i] = BinaryPrimitives.ReadUInt16LittleEndian(body[(2 * i)..]);
        return tokens;
    }

    public static byte[] Serialize(ReadOnlySpan<ushort> tokens)
    {
        var bytes = new byte[HeaderBytes + 2 * tokens.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), tokens.Length);
        for (int i = 0; i < tokens.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(HeaderBytes + 2 * i), tokens[i]);
        return bytes;
    }

    /// <summary>Writes a shard atomically (temp + fsync + rename).</summary>
    public static void Write(string path, ReadOnlySpan<ushort> tokens) => AtomicFile.WriteAllBytes(path, Serialize(tokens));
}
