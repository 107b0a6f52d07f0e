// llama2.c legacy checkpoints (export.py version 0, as stories15M.bin / stories110M.bin; run.c read_checkpoint): a
// header of 7 little-endian int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len), then fp32
// tensors in our layout's order, then the RoPE tables freq_cis_real/imag (skipped: we recompute them with theta
// 10000, as llama2.c does), then wcls only when vocab_size is negative (an unshared classifier).
using System.Buffers.Binary;

namespace Orion.Engine.Model.Import;

public static class Llama2cCheckpoint
{
    public const int HeaderInts = 7;
    public const int HeaderBytes = HeaderInts * sizeof(int);

    // export.py's newer formats start with the magic "ak42" (0x616b3432) and a 256-byte header.
    private const int VersionedExportMagic = 0x616b3432;
    private const string Format = "a llama2.c checkpoint";

    public static ImportedModel Read(string path) => ImportChecks.ReadFile(path, "llama2.c checkpoint", "expected a legacy .bin such as stories110M.bin: 7 int32 header, then fp32 weights", Import);

    /// <summary>Imports a checkpoint held in memory; <paramref name="name"/> is used in error messages and the source.</summary>
    public static ImportedModel Parse(ReadOnlySpan<byte> bytes, string name) => ImportChecks.ParseBytes(bytes, name, Import);

    private static ImportedModel Import(Stream stream, string name)
    {
        long length = stream.Length;
        if (length < HeaderBytes)
            throw new InvalidDataException($"{name}: {length:N0} bytes is shorter than the {HeaderBytes}-byte llama2.c header (7 int32); the file is truncated or not {Format}");
        var header = new byte[HeaderBytes];
        stream.ReadExactly(header);
        int Field(int i) => BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4 * i));

        if (Field(0) == VersionedExportMagic)
            throw new InvalidDataException($"{name}: starts with the magic 'ak42' of llama2.c's versioned export; only the legacy format is supported, so export with `export.py --version 0`");
        if (Field(0) == LlmcCheckpoint.Magic)
            throw new InvalidDataException($"{name}: starts with magic {LlmcCheckpoint.Magic}: this is an llm.c GPT-2 checkpoint, not {Format}; import it with the llm.c importer");
        int dim = Field(0), hidden = Field(1), l = Field(2), heads = Field(3), kvHeads = Field(4), rawVocab = Field(5), seq = Field(6);
        ImportChecks.Positive(name, "dim (header[0])", dim, Format);
        ImportChecks.Positive(name, "hidden_dim (header[1])", hidden, Format);
        ImportChecks.Positive(name, "n_layers (header[2])", l, Format);
        ImportChecks.Positive(name, "n_heads (header[3])", heads, Format);
        ImportChecks.Positive(name, "n_kv_heads (header[4])", kvHeads, Format);
        if (rawVocab is 0 or int.MinValue)
            throw new InvalidDataException($"{name}: vocab_size (header[5]) is {rawVocab}; expected a nonzero size (negative when the classifier is unshared)");
        ImportChecks.Positive(name, "seq_len (header[6])", seq, Format);
        bool shared = rawVocab > 0;
        int v = Math.Abs(rawVocab);
        if (dim % heads != 0)
            throw new InvalidDataException($"{name}: dim {dim} is not a multiple of n_heads {heads}; expected dim % n_heads == 0 (a corrupt header)");
        if (heads % kvHeads != 0)
            throw new InvalidDataException($"{name}: n_heads {heads} is not a multiple of n_kv_heads {kvHeads}; expected n_heads % n_kv_heads == 0 (a corrupt header)");
        int headSize = dim / heads, kvDim = dim / heads * kvHeads;

        string shape = $"dim {dim}, hidden_dim {hidden}, n_layers {l}, n_heads {heads}, n_kv_heads {kvHeads}, vocab_size {rawVocab}, seq_len {seq}";
        long ropeTable = (long)seq * (headSize / 2);
        long count = ImportChecks.Count(name, shape, () => checked(
            (long)v * dim + l * (2L * dim + 2L * dim * dim + 2L * dim * kvDim + 3L * hidden * dim) + dim + 2 * ropeTable + (shared ? 0 : (long)v * dim)));
        ImportChecks.ExactLength(name, length, HeaderBytes, count, 4, "fp32", shape,
            "the file holds more than the header describes, so it is not a legacy llama2.c checkpoint or its header is wrong");

        if (kvHeads != heads)
            throw new InvalidDataException($"{name}: n_kv_heads is {kvHeads} but n_heads is {heads}: grouped-query attention is not supported (our Llama layout has wk and wv of (dim, dim), one key/value head per query head); import a model with n_kv_heads == n_heads, such as the stories models");
        if (!shared)
            throw new InvalidDataException($"{name}: vocab_size is {rawVocab} (negative): the file has its own classifier wcls, which is not supported (our layout ties the classifier to the token embedding); import a model with shared weights, such as the stories models");

        var config = ImportChecks.Named(new ModelConfig(name, ModelFamily.Llama, v, seq, l, dim, heads, hidden), "stories-110m", $"stories-L{l}-C{dim}");
        var parameters = new ModelParameters(ImportChecks.Layout(name, config));
        var reader = new TensorReader(stream, bf16: false);
        foreach (var tensor in parameters.Layout.Tensors) reader.Read(parameters[tensor.Name]); // token_embedding .. rms_final
        reader.Skip(2 * ropeTable); // freq_cis_real, freq_cis_imag
        return new ImportedModel(config, parameters, $"llama2.c checkpoint '{name}' (legacy format, fp32; vocab {v}, seq {seq})");
    }
}
