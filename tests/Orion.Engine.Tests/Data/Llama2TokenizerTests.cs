// llama2.c's tokenizer.bin: parsing, encode() (BOS/EOS flags, dummy prefix, code point lookup, byte fallback,
// highest-score-first merging with leftmost ties), decode() (space after BOS, raw byte pieces), round trips, and
// truncated or malformed files refused naming the file, the token and expected vs actual.
using System.Text;
using Orion.Engine.Data;
using Xunit;
using static Orion.Engine.Tests.Data.Llama2TokenizerFile;

namespace Orion.Engine.Tests.Data;

public sealed class Llama2TokenizerTests
{
    private static readonly List<(string Piece, float Score)> Vocab = Standard(
        (" ", -1f), ("h", -2f), ("e", -2f), ("l", -2f), ("o", -2f), ("a", -2f), ("b", -2f), ("\n", -2f), ("é", -3f),
        ("ll", 10f), ("he", 5f), ("llo", 3f), (" he", 1f), (" hello", 0.5f), ("ab", 1f), (" a", -5f));

    private static readonly Llama2Tokenizer Tokenizer = Llama2Tokenizer.Parse(Bytes(Vocab), "tokenizer.bin", Vocab.Count);

    private static ushort Id(string piece) => (ushort)Vocab.FindIndex(p => p.Piece == piece);

    [Fact]
    public void Parse_ReadsPiecesScoresAndHeader()
    {
        Assert.Equal(Vocab.Count, Tokenizer.VocabSize);
        Assert.Equal(6, Tokenizer.MaxTokenLength); // " hello" and "<0x00>"
        Assert.Equal("\n<s>\n", Tokenizer.Piece(Llama2Tokenizer.Bos));
        Assert.Equal("<0x41>", Tokenizer.Piece(3 + 0x41));
        Assert.Equal("é", Tokenizer.Piece(Id("é")));
        Assert.Equal(10f, Tokenizer.Score(Id("ll")));
    }

    [Fact]
    public void Encode_MergesHighestScoreFirst()
    {
        // " " h e l l o -> ll (10) -> he (5) -> llo (3) -> " he" (1) -> " hello" (0.5)
        Assert.Equal([Llama2Tokenizer.Bos, Id(" hello")], Tokenizer.Encode("hello"));
    }

    [Fact]
    public void Encode_EqualScores_MergeTheLeftmostPairFirst()
    {
        var vocab = Standard((" ", -1f), ("a", -2f), ("b", -2f), ("ab", 1f), ("ba", 1f));
        var t = Llama2Tokenizer.Parse(Bytes(vocab), "tie.bin", vocab.Count);
        ushort sp = (ushort)(vocab.Count - 5), ab = (ushort)(vocab.Count - 2);
        Assert.Equal([sp, ab, ab], t.Encode("abab", bos: false, eos: false)); // not " " a ba b

        var baBetter = Standard((" ", -1f), ("a", -2f), ("b", -2f), ("ab", 1f), ("ba", 2f));
        t = Llama2Tokenizer.Parse(Bytes(baBetter), "ba.bin", baBetter.Count);
        Assert.Equal([sp, (ushort)(sp + 1), (ushort)(sp + 4), (ushort)(sp + 2)], t.Encode("abab", bos: false, eos: false));
    }

    [Fact]
    public void Encode_BosAndEosFlags()
    {
        Assert.Equal([Llama2Tokenizer.Bos], Tokenizer.Encode(""));
        Assert.Empty(Tokenizer.Encode("", bos: false, eos: false));
        Assert.Equal([Llama2Tokenizer.Bos, Llama2Tokenizer.Eos], Tokenizer.Encode("", bos: true, eos: true));
        Assert.Equal([Id(" a"), Llama2Tokenizer.Eos], Tokenizer.Encode("a", bos: false, eos: true));
    }

    [Fact]
    public void Encode_DummyPrefix_OnlyForNonEmptyText()
    {
        Assert.Equal([Llama2Tokenizer.Bos, Id(" "), Id("b")], Tokenizer.Encode("b"));
        Assert.Equal([Llama2Tokenizer.Bos, Id(" hello"), Id(" "), Id("b")], Tokenizer.Encode("hello b"));
    }

    [Fact]
    public void Encode_CodePointsWithoutAPiece_FallBackToBytePlusThree()
    {
        // é has a piece; 😀 (F0 9F 98 80) does not.
        Assert.Equal([Llama2Tokenizer.Bos, Id(" "), Id("é"), 0xF0 + 3, 0x9F + 3, 0x98 + 3, 0x80 + 3], Tokenizer.Encode("é😀"));
    }

    [Fact]
    public void Decode_StripsTheSpaceAfterBos_AndReadsBytePieces()
    {
        Assert.Equal("hello", Tokenizer.Decode([Llama2Tokenizer.Bos, Id(" hello")]));
        Assert.Equal(" hello", Tokenizer.Decode([Id(" hello")]));
        Assert.Equal("hello", Tokenizer.Decode([Llama2Tokenizer.Bos, Id(" hello"), Llama2Tokenizer.Eos]));
        Assert.Equal("😀", Tokenizer.Decode([0xF0 + 3, 0x9F + 3, 0x98 + 3, 0x80 + 3]));
        Assert.Equal("\uFFFD", Tokenizer.Decode([0xF0 + 3, 0x9F + 3]));
        Assert.Equal("\n<s>\n", Tokenizer.Piece(1));
    }

    [Fact]
    public void Decode_IdOutsideVocabulary_NamesTokenAndPosition()
    {
        var e = Assert.Throws<ArgumentException>(() => Tokenizer.Decode([Llama2Tokenizer.Bos, 60000]));
        Assert.Contains("token 60000 at position 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("hello hello\n\nab aba")]
    [InlineData(" leading space and trailing  ")]
    [InlineData("naïve café 日本語 😀👍🏽 𝐀")]
    public void DecodeEncode_WithBos_RoundTrips(string text) => Assert.Equal(text, Tokenizer.Decode(Tokenizer.Encode(text)));

    [Fact]
    public void Encode_RandomVocabularyAndText_MatchesRunCsMergeLoop()
    {
        var random = new Random(11);
        string[] letters = ["a", "b", "c", " ", "é", "\n"];
        for (int round = 0; round < 40; round++)
        {
            // Random pieces of 1-4 letters with scores from a small set, so equal scores are common.
            var pieces = new HashSet<string>(letters, StringComparer.Ordinal);
            while (pieces.Count < 40) pieces.Add(string.Concat(Enumerable.Range(0, random.Next(2, 5)).Select(_ => letters[random.Next(letters.Length)])));
            var vocab = Standard(pieces.Select(p => (p, (float)random.Next(-3, 3))).ToArray());
            var t = Llama2Tokenizer.Parse(Bytes(vocab), "random.bin", vocab.Count);
            for (int n = 0; n < 25; n++)
            {
                var text = string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => letters[random.Next(letters.Length)]));
                var initial = new List<int> { Llama2Tokenizer.Bos };
                initial.AddRange(text.Prepend(' ').Select(c => vocab.FindIndex(v => v.Piece == c.ToString())));
                Assert.Equal(ReferenceMerge(initial, vocab).Select(x => (ushort)x), t.Encode(text));
            }
        }
    }

    [Fact]
    public void Encode_ByteWithoutFallbackToken_SaysWhy()
    {
        var vocab = new List<(string, float)> { ("<unk>", 0f), ("\n<s>\n", 0f), ("\n</s>\n", 0f), (" ", 0f), ("a", 0f) };
        var t = Llama2Tokenizer.Parse(Bytes(vocab), "small.bin", vocab.Count);
        var e = Assert.Throws<InvalidOperationException>(() => t.Encode("é"));
        Assert.Contains("byte 0xC3 has no token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrittenFile_SameAsParse()
    {
        var path = Path.Combine(Path.GetTempPath(), $"orion-tokenizer-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(path, Bytes(Vocab));
            var t = Llama2Tokenizer.Load(path, Vocab.Count);
            Assert.Equal(Tokenizer.Encode("hello é"), t.Encode("hello é"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_SaysWhatIsExpected()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Llama2Tokenizer.Load("/nonexistent/tokenizer.bin"));
        Assert.Contains("/nonexistent/tokenizer.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("max_token_length", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TruncatedInsideAPiece_NamesTokenAndOffsets()
    {
        var bytes = Bytes(Vocab);
        var e = Assert.Throws<InvalidDataException>(() => Llama2Tokenizer.Parse(bytes.AsSpan(0, bytes.Length - 2), "tokenizer.bin", Vocab.Count));
        Assert.Contains($"tokenizer.bin: token {Vocab.Count - 1} of {Vocab.Count}", e.Message, StringComparison.Ordinal);
        Assert.Contains("inside its 2-byte piece", e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FewerTokensThanTheVocabSize_SaysHowManyItHolds()
    {
        var e = Assert.Throws<InvalidDataException>(() => Llama2Tokenizer.Parse(Bytes(Vocab), "tokenizer.bin", 32000));
        Assert.Contains($"token {Vocab.Count} of 32,000", e.Message, StringComparison.Ordinal);
        Assert.Contains($"it reads as exactly {Vocab.Count} tokens, so pass vocab size {Vocab.Count}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MoreTokensThanTheVocabSize_RefusesTrailingBytes()
    {
        var e = Assert.Throws<InvalidDataException>(() => Llama2Tokenizer.Parse(Bytes(Vocab), "tokenizer.bin", 100));
        Assert.Contains("bytes remain after token 99; expected the file to end there", e.Message, StringComparison.Ordinal);
        Assert.Contains($"pass vocab size {Vocab.Count}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PieceLongerThanMaxTokenLength_NamesToken()
    {
        var e = Assert.Throws<InvalidDataException>(() => Llama2Tokenizer.Parse(Bytes(Vocab, maxTokenLength: 5), "tokenizer.bin", Vocab.Count));
        Assert.Contains("tokenizer.bin: token 2 of", e.Message, StringComparison.Ordinal); // "\n</s>\n" has 6 bytes
        Assert.Contains("piece length 6, expected 0..5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadHeader_Refused()
    {
        Assert.Contains("shorter than the 4-byte header", Assert.Throws<InvalidDataException>(() => Llama2Tokenizer.Parse(new byte[2], "t.bin")).Message, StringComparison.Ordinal);
        var bytes = Bytes(Vocab);
        bytes[0] = bytes[1] = bytes[2] = bytes[3] = 0;
        Assert.Contains("t.bin: max_token_length is 0", Assert.Throws<InvalidDataException>(() => Llama2Tokenizer.Parse(bytes, "t.bin", Vocab.Count)).Message, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetByteCount(" hello"), Tokenizer.MaxTokenLength);
    }
}
