// Tokenizer specs on the command line: "byte", "gpt2:DIR" (vocab.json + merges.txt) or "llama2c:FILE" (tokenizer.bin).
using Orion.Engine.Data;

namespace Orion.Cli.Commands;

internal static class Tokenizers
{
    public static ByteTokenizer Open(string spec) =>
        spec == "byte" ? ByteTokenizer.Instance
            : throw new CliUsageException($"--tokenizer '{spec}' is not known; expected byte, gpt2:DIR or llama2c:FILE");
}
