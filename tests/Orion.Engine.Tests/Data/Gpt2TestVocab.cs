// A small hand-built GPT-2 style vocabulary for tests: the 256 byte tokens with id = byte value, then one token per
// merge rule (ids 256.. in rank order), written in GPT-2's byte alphabet like a real vocab.json.
using System.Text;
using Orion.Engine.Data;

namespace Orion.Engine.Tests.Data;

internal static class Gpt2TestVocab
{
    /// <summary>Text written in the byte alphabet (" " is "Ġ", "\n" is "Ċ"), as vocab.json and merges.txt spell it.</summary>
    public static string Sym(string text) => new(Encoding.UTF8.GetBytes(text).Select(Char).ToArray());

    public static char Char(byte b) => b is >= (byte)'!' and <= (byte)'~' or >= 0xA1 and <= 0xAC or >= 0xAE
        ? (char)b
        : (char)(256 + Enumerable.Range(0, b).Count(x => !(x is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE)));

    /// <summary>Merges given in the byte alphabet, as merges.txt spells them ("Ġ w").</summary>
    public static (Dictionary<string, int> Vocab, List<(string, string)> Merges) BuildSymbols(params (string Left, string Right)[] merges)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int b = 0; b < 256; b++) vocab[Char((byte)b).ToString()] = b;
        foreach (var (left, right) in merges) vocab.TryAdd(left + right, vocab.Count);
        return (vocab, merges.ToList());
    }

    /// <summary>A tokenizer whose merges are given as plain text pairs, e.g. (" ", "w") for "Ġ w".</summary>
    public static Gpt2Tokenizer Tokenizer(params (string Left, string Right)[] merges) =>
        Symbols(merges.Select(m => (Sym(m.Left), Sym(m.Right))).ToArray());

    public static Gpt2Tokenizer Symbols(params (string Left, string Right)[] merges)
    {
        var (vocab, rules) = BuildSymbols(merges);
        return new Gpt2Tokenizer(vocab, rules);
    }

    /// <summary>The id the test vocabulary gives to a token spelled in plain text.</summary>
    public static ushort Id(Gpt2Tokenizer tokenizer, string text) =>
        tokenizer.TryGetTokenId(Sym(text), out var id) ? id : throw new KeyNotFoundException($"'{text}' is not in the test vocabulary");

    /// <summary>The byte tokens of a text (the test vocabulary gives byte b the id b).</summary>
    public static ushort[] Bytes(string text) => Encoding.UTF8.GetBytes(text).Select(b => (ushort)b).ToArray();
}
