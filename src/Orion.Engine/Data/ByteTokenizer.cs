// The byte-level tokenizer: one token per UTF-8 byte (vocabulary 256), so any text round-trips exactly. The default
// tokenizer of the built-in corpus and of plain text files.
using System.Text;

namespace Orion.Engine.Data;

public sealed class ByteTokenizer : ITokenizer
{
    public const int VocabSize = 256;

    int ITokenizer.VocabSize => VocabSize;

    public static ByteTokenizer Instance { get; } = new();

    public ushort[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var tokens = new ushort[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) tokens[i] = bytes[i];
        return tokens;
    }

    /// <summary>Decodes tokens to text; bytes that are not valid UTF-8 on their own (a cut-off character) become U+FFFD.</summary>
    public string Decode(ReadOnlySpan<ushort> tokens)
    {
        var bytes = new byte[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] >= VocabSize) throw new ArgumentException($"token {tokens[i]} at position {i} is outside the byte vocabulary (0-255)", nameof(tokens));
            bytes[i] = (byte)tokens[i];
        }
        return Encoding.UTF8.GetString(bytes);
    }
}
