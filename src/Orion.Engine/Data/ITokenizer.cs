// What the trainer, the evaluator and generation need from a tokenizer: text to token ids and back. Implemented by
// the byte tokenizer, GPT-2's byte-level BPE (vocab.json + merges.txt) and llama2.c's tokenizer.bin.
namespace Orion.Engine.Data;

public interface ITokenizer
{
    /// <summary>One more than the largest token id; every id from <see cref="Encode"/> is below it.</summary>
    int VocabSize { get; }

    ushort[] Encode(string text);

    /// <summary>Token ids back to text; byte sequences that are not valid UTF-8 become U+FFFD.</summary>
    string Decode(ReadOnlySpan<ushort> tokens);
}
