// safetensors, the standard weights format other tools read: an 8-byte little-endian header length N, N bytes of
// JSON ({"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}) padded with
// spaces to a multiple of 8, then the tensor bytes. Writing is deterministic (tensors in ordinal name order, compact
// JSON), so the same weights give the same file bytes and hash on any machine; reading checks every offset, size
// and dtype so a corrupt or truncated file is refused naming the file and what is wrong.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Orion.Engine.IO;

/// <summary>One tensor: safetensors dtype name (F32, F16, BF16, I32, I64, U16, U8), shape and little-endian bytes.</summary>
public sealed record SafeTensor(string DType, long[] Shape, byte[] Data)
{
    public static SafeTensor Float32(long[] shape, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return new SafeTensor("F32", shape, bytes);
    }

    public float[] ToFloat32()
    {
        if (DType != "F32") throw new InvalidDataException($"tensor is {DType}, expected F32");
        var v = new float[Data.Length / 4];
        for (int i = 0; i < v.Length; i++) v[i] = BinaryPrimitives.ReadSingleLittleEndian(Data.AsSpan(4 * i));
        return v;
    }
}

public sealed record SafeTensorsContent(IReadOnlyDictionary<string, SafeTensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

public static class SafeTensors
{
    /// <summary>Larger headers are refused: real files have a few KB to a few MB of JSON.</summary>
    public const long MaxHeaderBytes = 100L << 20;

    public static int ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => throw new InvalidDataException($"unknown safetensors dtype '{dtype}' (expected F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8 or BOOL)"),
    };

    public static byte[] Serialize(IReadOnlyDictionary<string, SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        using var json = new MemoryStream();
        long offset = 0;
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(k, v);
                w.WriteEndObject();
            }
            foreach (var name in names)
            {
                if (name == "__metadata__") throw new ArgumentException("'__metadata__' is reserved and cannot name a tensor", nameof(tensors));
                var t = tensors[name];
                long expected = t.Shape.Aggregate(1L, (a, d) => d >= 0 ? checked(a * d) : throw new ArgumentException($"tensor '{name}' has a negative dimension", nameof(tensors))) * ElementSize(t.DType);
                if (expected != t.Data.Length)
                    throw new ArgumentException($"tensor '{name}' {t.DType} [{string.Join(", ", t.Shape)}] needs {expected} bytes, has {t.Data.Length}", nameof(tensors));
                w.WriteStartObject(name);
                w.WriteString("dtype", t.DType);
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + t.Data.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += t.Data.Length;
            }
            w.WriteEndObject();
        }
        var header = json.ToArray();
        int padded = (header.Length + 7) / 8 * 8;
        var bytes = new byte[8 + padded + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        header.CopyTo(bytes, 8);
        bytes.AsSpan(8 + header.Length, padded - header.Length).Fill((byte)' ');
        long at = 8 + padded;
        foreach (var name in names)
        {
            tensors[name].Data.CopyTo(bytes, at);
            at += tensors[name].Data.Length;
        }
        return bytes;
    }

    /// <summary>Writes atomically (temp + fsync + rename).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.WriteAllBytes(path, Serialize(tensors, metadata));

    public static SafeTensorsContent Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"safetensors file '{path}' does not exist");
        return Parse(File.ReadAllBytes(path), path);
    }

    public static SafeTensorsContent Parse(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 8) throw Bad(name, $"{bytes.Length} bytes is shorter than the 8-byte header length; the file is truncated or empty");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > MaxHeaderBytes || (long)n > bytes.Length - 8)
            throw Bad(name, $"header length {n:N0} does not fit the {bytes.Length:N0}-byte file; the file is truncated or not safetensors");
        var dataStart = 8 + (int)n;
        long dataLength = bytes.Length - dataStart;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes.Slice(8, (int)n).ToArray());
        }
        catch (JsonException e)
        {
            throw Bad(name, $"the JSON header is malformed ({e.Message})");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad(name, "the JSON header is not an object");
            var tensors = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var spans = new List<(long Begin, long End, string Name)>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__")
                {
                    if (p.Value.ValueKind != JsonValueKind.Object) throw Bad(name, "__metadata__ is not an object of strings");
                    foreach (var m in p.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : throw Bad(name, $"__metadata__ value '{m.Name}' is not a string");
                    continue;
                }
                if (tensors.ContainsKey(p.Name)) throw Bad(name, $"tensor '{p.Name}' appears twice in the header");
                tensors[p.Name] = ParseTensor(p, bytes[dataStart..], dataLength, name, spans);
            }
            spans.Sort();
            for (int i = 1; i < spans.Count; i++)
                if (spans[i].Begin < spans[i - 1].End) throw Bad(name, $"tensors '{spans[i - 1].Name}' and '{spans[i].Name}' overlap");
            return new SafeTensorsContent(tensors, metadata);
        }
    }

    private static SafeTensor ParseTensor(JsonProperty p, ReadOnlySpan<byte> data, long dataLength, string file, List<(long, long, string)> spans)
    {
        try
        {
            var v = p.Value;
            var dtype = v.GetProperty("dtype").GetString() ?? "";
            var shape = v.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = v.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                throw Bad(file, $"tensor '{p.Name}' has data_offsets [{string.Join(", ", offsets)}] outside the {dataLength:N0}-byte data section; the file is truncated or corrupt");
            if (shape.Any(d => d < 0)) throw Bad(file, $"tensor '{p.Name}' has a negative dimension");
            long expected = shape.Aggregate(1L, (a, d) => checked(a * d)) * ElementSize(dtype);
            if (offsets[1] - offsets[0] != expected)
                throw Bad(file, $"tensor '{p.Name}' {dtype} [{string.Join(", ", shape)}] needs {expected:N0} bytes but its offsets span {offsets[1] - offsets[0]:N0}");
            spans.Add((offsets[0], offsets[1], p.Name));
            return new SafeTensor(dtype, shape, data.Slice((int)offsets[0], (int)(offsets[1] - offsets[0])).ToArray());
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw Bad(file, $"tensor '{p.Name}' has a malformed entry (needs dtype, shape and data_offsets): {e.Message}");
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(file, StringComparison.Ordinal))
        {
            throw Bad(file, $"tensor '{p.Name}': {e.Message}");
        }
    }

    private static InvalidDataException Bad(string file, string what) => new($"{file}: {what}");
}
