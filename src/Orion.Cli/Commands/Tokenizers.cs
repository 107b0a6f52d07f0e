// Tokenizer specs on the command line and in checkpoint manifests: "byte", "gpt2:DIR" (vocab.json + merges.txt) or
// "llama2c:FILE" (tokenizer.bin).
using Orion.Engine.Data;

namespace Orion.Cli.Commands;

internal static class Tokenizers
{
    public static ITokenizer Open(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Length == 0)
            throw new CliUsageException("this checkpoint records no tokenizer (it was imported without --tokenizer); pass --tokenizer gpt2:DIR (vocab.json + merges.txt) or llama2c:FILE (tokenizer.bin)");
        if (spec == "byte") return ByteTokenizer.Instance;
        if (spec.StartsWith("gpt2:", StringComparison.Ordinal))
        {
            var dir = spec["gpt2:".Length..];
            return Gpt2Tokenizer.Load(Path.Combine(dir, "vocab.json"), Path.Combine(dir, "merges.txt"));
        }
        if (spec.StartsWith("llama2c:", StringComparison.Ordinal)) return Llama2Tokenizer.Load(spec["llama2c:".Length..]);
        throw new CliUsageException($"--tokenizer '{spec}' is not known; expected byte, gpt2:DIR (vocab.json + merges.txt) or llama2c:FILE (tokenizer.bin)");
    }
}
