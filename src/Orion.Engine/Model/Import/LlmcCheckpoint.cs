// llm.c GPT-2 checkpoints (train_gpt2.c gpt2_build_from_checkpoint): a header of 256 little-endian int32 (magic
// 20240326, version 3 = fp32 or 5 = bf16 parameters, maxT, V, L, NH, C, padded vocab Vp), then the 16 parameter
// tensors in our layout's order, with wte of Vp rows. The Vp - V padding rows (llm.c pads the vocabulary to a multiple
// of 128 for its kernels) are never a target and get no gradient-driven meaning, so they are dropped on import.
using System.Buffers.Binary;
using Orion.Engine.Data;

namespace Orion.Engine.Model.Import;

public static class LlmcCheckpoint
{
    public const int Magic = 20240326;
    public const int VersionFp32 = 3, VersionBf16 = 5;
    public const int HeaderInts = 256;
    public const int HeaderBytes = HeaderInts * sizeof(int);

    private const string Format = "an llm.c GPT-2 checkpoint";

    public static ImportedModel Read(string path) => ImportChecks.ReadFile(path, "llm.c checkpoint", $"expected a GPT-2 .bin such as gpt2_124M.bin: 1 KiB header with magic {Magic}, then fp32 or bf16 parameters", Import);

    /// <summary>Imports a checkpoint held in memory; <paramref name="name"/> is used in error messages and the source.</summary>
    public static ImportedModel Parse(ReadOnlySpan<byte> bytes, string name) => ImportChecks.ParseBytes(bytes, name, Import);

    private static ImportedModel Import(Stream stream, string name)
    {
        long length = stream.Length;
        if (length < HeaderBytes)
            throw new InvalidDataException($"{name}: {length:N0} bytes is shorter than the {HeaderBytes:N0}-byte llm.c checkpoint header; the file is truncated or not {Format}");
        var header = new byte[HeaderBytes];
        stream.ReadExactly(header);
        int Field(int i) => BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4 * i));

        int magic = Field(0);
        if (magic != Magic)
        {
            string hint = magic == TokenShard.Magic
                ? "this is an llm.c token shard (magic 20240520): pass it as training data, not as a model"
                : "token shards have magic 20240520, and llama2.c checkpoints have no magic (import those with the llama2.c importer)";
            throw new InvalidDataException($"{name}: magic {magic}, expected {Magic}: not {Format}; {hint}");
        }
        int version = Field(1);
        if (version is not (VersionFp32 or VersionBf16))
            throw new InvalidDataException($"{name}: version {version}, expected {VersionFp32} (fp32 parameters) or {VersionBf16} (bf16 parameters); older versions predate the padded vocabulary, so re-export the model with llm.c's train_gpt2.py");
        bool bf16 = version == VersionBf16;
        int maxT = Field(2), v = Field(3), l = Field(4), nh = Field(5), c = Field(6), vp = Field(7);
        ImportChecks.Positive(name, "max_seq_len (header[2])", maxT, Format);
        ImportChecks.Positive(name, "vocab_size (header[3])", v, Format);
        ImportChecks.Positive(name, "num_layers (header[4])", l, Format);
        ImportChecks.Positive(name, "num_heads (header[5])", nh, Format);
        ImportChecks.Positive(name, "channels (header[6])", c, Format);
        ImportChecks.Positive(name, "padded_vocab_size (header[7])", vp, Format);
        if (c % nh != 0)
            throw new InvalidDataException($"{name}: channels {c} is not a multiple of num_heads {nh}; expected C % NH == 0 (a corrupt header)");
        if (vp < v)
            throw new InvalidDataException($"{name}: padded_vocab_size {vp} is smaller than vocab_size {v}; expected Vp >= V (a corrupt header)");

        string shape = $"maxT {maxT}, V {v}, Vp {vp}, L {l}, NH {nh}, C {c}";
        long count = ImportChecks.Count(name, shape, () => checked(
            (long)vp * c + (long)maxT * c + l * (2L * c + 3L * c * c + 3L * c + (long)c * c + c + 2L * c + 4L * c * c + 4L * c + 4L * c * c + c) + 2L * c));
        ImportChecks.ExactLength(name, length, HeaderBytes, count, bf16 ? 2 : 4, bf16 ? "bf16" : "fp32", shape,
            "the file holds more than the header describes, so it is not a plain llm.c checkpoint or its header is wrong");

        var config = ImportChecks.Named(new ModelConfig(name, ModelFamily.Gpt2, v, maxT, l, c, nh, checked(4 * c)), "gpt2-124m", $"gpt2-L{l}-C{c}");
        var parameters = new ModelParameters(ImportChecks.Layout(name, config));
        var reader = new TensorReader(stream, bf16);
        foreach (var tensor in parameters.Layout.Tensors)
        {
            reader.Read(parameters[tensor.Name]);
            if (tensor.Name == "wte") reader.Skip((long)(vp - v) * c); // the padding rows V..Vp-1
        }
        string source = $"llm.c GPT-2 checkpoint '{name}' (version {version}, {(bf16 ? "bf16" : "fp32")}; vocab {v}, padded to {vp})";
        return new ImportedModel(config, parameters, source);
    }
}
