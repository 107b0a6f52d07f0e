// GPT-2's reversible byte <-> character table (bytes_to_unicode in OpenAI's encoder.py): printable Latin-1 bytes stand
// for themselves and the other 68 bytes map to U+0100.. in byte order, so every byte string is a string of visible
// characters that BPE merges can work on and that vocab.json can hold.
namespace Orion.Engine.Data;

internal static class Gpt2ByteAlphabet
{
    private static readonly char[] CharOfByte = Build();
    private static readonly Dictionary<char, byte> ByteOfChar = Enumerable.Range(0, 256).ToDictionary(b => CharOfByte[b], b => (byte)b);

    private static char[] Build()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    public static char CharOf(byte b) => CharOfByte[b];

    public static bool TryByteOf(char c, out byte b) => ByteOfChar.TryGetValue(c, out b);

    /// <summary>The UTF-8 bytes of a piece of text, each written as its alphabet character.</summary>
    public static string Map(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = bytes.Length <= 256 ? stackalloc char[bytes.Length] : new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = CharOfByte[bytes[i]];
        return new string(chars);
    }
}
