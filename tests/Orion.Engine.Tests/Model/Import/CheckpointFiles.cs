// Synthetic llm.c and llama2.c checkpoint files for the importer tests, written from the formats' own tensor lists
// (not from our ParameterLayout), with recognizable index-based values: element k of the body is Value(k).
using System.Buffers.Binary;

namespace Orion.Engine.Tests.Model.Import;

internal static class CheckpointFiles
{
    /// <summary>Body element k as fp32: exact for the small bodies of the tests.</summary>
    public static float Value(long k) => 0.5f * k + 1f;

    /// <summary>Body element k as bf16 bits: 1.0, 1.0078125, ... distinct and finite for k &lt; 16,000.</summary>
    public static ushort Bf16(long k) => (ushort)(0x3F80 + k);

    public static float Bf16Value(long k) => BitConverter.Int32BitsToSingle(Bf16(k) << 16);

    /// <summary>llm.c's GPT-2 tensors in file order (train_gpt2.c fill_in_parameter_sizes).</summary>
    public static (string Name, int[] Shape)[] Gpt2Tensors(int vp, int maxT, int l, int c) =>
    [
        ("wte", [vp, c]), ("wpe", [maxT, c]), ("ln1w", [l, c]), ("ln1b", [l, c]), ("qkvw", [l, 3 * c, c]), ("qkvb", [l, 3 * c]),
        ("attprojw", [l, c, c]), ("attprojb", [l, c]), ("ln2w", [l, c]), ("ln2b", [l, c]), ("fcw", [l, 4 * c, c]), ("fcb", [l, 4 * c]),
        ("fcprojw", [l, c, 4 * c]), ("fcprojb", [l, c]), ("lnfw", [c]), ("lnfb", [c]),
    ];

    /// <summary>llama2.c's legacy tensors in file order (run.c memory_map_weights), RoPE tables and wcls included.</summary>
    public static (string Name, int[] Shape)[] LlamaTensors(int dim, int hidden, int l, int heads, int kvHeads, int vocab, int seq, bool wcls)
    {
        int kvDim = dim / heads * kvHeads, half = dim / heads / 2;
        var tensors = new List<(string, int[])>
        {
            ("tok_embeddings", [vocab, dim]), ("rms_att", [l, dim]), ("wq", [l, dim, dim]), ("wk", [l, dim, kvDim]), ("wv", [l, dim, kvDim]),
            ("wo", [l, dim, dim]), ("rms_ffn", [l, dim]), ("w1", [l, hidden, dim]), ("w2", [l, dim, hidden]), ("w3", [l, hidden, dim]),
            ("rms_final", [dim]), ("freq_cis_real", [seq, half]), ("freq_cis_imag", [seq, half]),
        };
        if (wcls) tensors.Add(("wcls", [vocab, dim]));
        return [.. tensors];
    }

    public static long Count((string Name, int[] Shape)[] tensors) => tensors.Sum(t => t.Shape.Aggregate(1L, (a, d) => a * d));

    /// <summary>An llm.c checkpoint: header [magic, version, maxT, V, L, NH, C, Vp] then the body (bf16 for version 5).</summary>
    public static byte[] Llmc(int maxT, int v, int l, int nh, int c, int vp, int version = 3, int magic = 20240326)
    {
        long count = Count(Gpt2Tensors(vp, maxT, l, c));
        int size = version == 5 ? 2 : 4;
        var bytes = new byte[1024 + count * size];
        int[] header = [magic, version, maxT, v, l, nh, c, vp];
        for (int i = 0; i < header.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), header[i]);
        for (long k = 0; k < count; k++)
        {
            if (size == 2) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((int)(1024 + 2 * k)), Bf16(k));
            else BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan((int)(1024 + 4 * k)), Value(k));
        }
        return bytes;
    }

    /// <summary>A legacy llama2.c checkpoint; a negative vocab size appends wcls, as export.py does for unshared classifiers.</summary>
    public static byte[] Llama2c(int dim, int hidden, int l, int heads, int kvHeads, int vocab, int seq)
    {
        long count = Count(LlamaTensors(dim, hidden, l, heads, kvHeads, Math.Abs(vocab), seq, wcls: vocab < 0));
        var bytes = new byte[28 + 4 * count];
        int[] header = [dim, hidden, l, heads, kvHeads, vocab, seq];
        for (int i = 0; i < header.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), header[i]);
        for (long k = 0; k < count; k++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan((int)(28 + 4 * k)), Value(k));
        return bytes;
    }
}
