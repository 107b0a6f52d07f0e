// GPT-2 byte-level BPE on a hand-built vocabulary: merge order, the pre-tokenizer's cuts (spaces, contractions,
// digits, punctuation, trailing whitespace, code points outside the BMP), byte tokens for anything unmerged, and
// decode(encode(s)) == s. Expected cuts follow encoder.py's regex as Python's `regex` module matches it.
using Orion.Engine.Data;
using Xunit;
using static Orion.Engine.Tests.Data.Gpt2TestVocab;

namespace Orion.Engine.Tests.Data;

public sealed class Gpt2TokenizerTests
{
    private static ushort B(char c) => (byte)c;

    private static ushort SymbolId(Gpt2Tokenizer t, string symbols) => t.TryGetTokenId(symbols, out var id) ? id : throw new KeyNotFoundException(symbols);

    [Fact]
    public void Encode_MergesByRank_LowestRankFirst()
    {
        var t = Tokenizer(("l", "l"), ("h", "e"), ("he", "ll"), ("hell", "o"));
        Assert.Equal([Id(t, "hello")], t.Encode("hello"));

        // "e l" outranks "l l": h e l l o -> h el l o -> hel l o.
        var elFirst = Tokenizer(("e", "l"), ("l", "l"), ("h", "el"));
        Assert.Equal([Id(elFirst, "hel"), B('l'), B('o')], elFirst.Encode("hello"));

        // The same rules with "l l" first: h e ll o, and no rule joins e with ll.
        var llFirst = Tokenizer(("l", "l"), ("e", "l"), ("h", "el"));
        Assert.Equal([B('h'), B('e'), Id(llFirst, "ll"), B('o')], llFirst.Encode("hello"));
    }

    [Fact]
    public void Encode_MergesEveryOccurrence_LeftToRightWithoutOverlap()
    {
        var t = Tokenizer(("a", "a"));
        ushort aa = Id(t, "aa");
        Assert.Equal([aa, aa, B('a')], t.Encode("aaaaa"));
        Assert.Equal([aa, B('a')], t.Encode("aaa"));
    }

    [Fact]
    public void Encode_SpaceBelongsToTheFollowingWord()
    {
        var t = Tokenizer((" ", "b"), ("a", " "));
        Assert.Equal([B('a'), Id(t, " b")], t.Encode("a b")); // "a " never forms: the space starts the next word
        Assert.Equal([B('a'), B(' '), Id(t, " b")], t.Encode("a  b"));
    }

    [Fact]
    public void Encode_WhitespaceRunBeforeAWord_LeavesItsLastSpaceToTheWord()
    {
        var t = Tokenizer((" ", " "), (" ", "b"));
        Assert.Equal([B('a'), Id(t, "  "), Id(t, " b")], t.Encode("a   b")); // "a", "  ", " b"
    }

    [Fact]
    public void Encode_TrailingWhitespace_IsOneWordButNewlinesBeforeTextAreNot()
    {
        var t = Tokenizer(("\n", "\n"), (" ", "\n"));
        Assert.Equal([B('x'), Id(t, "\n\n")], t.Encode("x\n\n"));
        Assert.Equal([B('x'), Id(t, " \n")], t.Encode("x \n"));
        // \s+(?!\S) backs off to the first newline, the second is matched by \s+ alone: no merge across them.
        Assert.Equal([B('x'), B('\n'), B('\n'), B('y')], t.Encode("x\n\ny"));
    }

    [Fact]
    public void Encode_Contractions_AreWordsOfTheirOwn_LowercaseOnly()
    {
        var t = Tokenizer(("'", "s"), ("'", "r"), ("'r", "e"), ("'", "l"), ("'l", "l"), ("'", "S"), ("t", "'"));
        Assert.Equal([B('i'), B('t'), Id(t, "'s")], t.Encode("it's"));
        Assert.Equal([B('w'), B('e'), Id(t, "'re")], t.Encode("we're"));
        Assert.Equal([B('w'), B('e'), Id(t, "'ll")], t.Encode("we'll"));
        // "'S" is no contraction: "'" is a symbol word and "S" a letter word, so neither merge "' S" nor "t '" applies.
        Assert.Equal(Bytes("IT'S"), t.Encode("IT'S"));
        Assert.Equal(Bytes("t'x"), t.Encode("t'x"));
    }

    [Fact]
    public void Encode_DigitsAndLetters_AreSeparateWords()
    {
        var t = Tokenizer(("c", "1"), ("1", "2"), (" ", "4"));
        Assert.Equal([B('a'), B('b'), B('c'), Id(t, "12"), B('3')], t.Encode("abc123"));
        Assert.Equal([B('x'), Id(t, " 4"), B('2')], t.Encode("x 42"));
    }

    [Fact]
    public void Encode_PunctuationRuns_AreWords()
    {
        var t = Tokenizer(("!", "!"), (" ", "?"), ("i", "!"));
        Assert.Equal([B('h'), B('i'), Id(t, "!!"), B('!'), Id(t, " ?")], t.Encode("hi!!! ?"));
    }

    [Fact]
    public void Encode_NonAsciiLetter_IsUtf8BytesInsideItsWord()
    {
        // é is C3 A9, spelled "Ã©" in the byte alphabet.
        var t = Symbols(("Ã", "©"), ("f", "Ã©"));
        Assert.Equal([B('c'), B('a'), Id(t, "fé")], t.Encode("café"));
        Assert.Equal("café", t.Decode(t.Encode("café")));
    }

    [Fact]
    public void Encode_Emoji_FallsBackToItsFourByteTokens()
    {
        var t = Tokenizer(("h", "i"));
        Assert.Equal([Id(t, "hi"), B(' '), 0xF0, 0x9F, 0x98, 0x80, B('!')], t.Encode("hi 😀!"));
        Assert.Equal("hi 😀!", t.Decode(t.Encode("hi 😀!")));
    }

    [Fact]
    public void Encode_SupplementaryLettersAndDigits_AreClassedByCodePoint()
    {
        // U+1D400 MATHEMATICAL BOLD CAPITAL A (F0 9D 90 80) is a letter: it joins "a" and parts from "!". Seen as two
        // UTF-16 surrogates it would be a symbol, and the merges below would go the other way.
        var t = Symbols(("a", Char(0xF0).ToString()), (Char(0x80).ToString(), "!"), ("1", Char(0xF0).ToString()));
        Assert.Equal([SymbolId(t, "a" + Char(0xF0)), 0x9D, 0x90, 0x80], t.Encode("a𝐀"));
        Assert.Equal([0xF0, 0x9D, 0x90, 0x80, B('!')], t.Encode("𝐀!"));
        // U+1D7CE MATHEMATICAL BOLD DIGIT ZERO (F0 9D 9F 8E) is a digit: it joins "1".
        Assert.Equal([SymbolId(t, "1" + Char(0xF0)), 0x9D, 0x9F, 0x8E], t.Encode("1𝟎"));
    }

    [Fact]
    public void Encode_EndOfText_IsOrdinaryTextNotTheSpecialToken()
    {
        var (vocab, merges) = BuildSymbols(("<", "|"));
        vocab["<|endoftext|>"] = 300;
        var t = new Gpt2Tokenizer(vocab, merges);
        Assert.True(t.TryGetTokenId("<|endoftext|>", out var eot));
        Assert.Equal(300, eot);
        Assert.Equal(301, t.VocabSize);
        Assert.DoesNotContain(eot, t.Encode("<|endoftext|>"));
        Assert.Equal("a<|endoftext|>b", t.Decode([B('a'), eot, B('b')]));
    }

    [Fact]
    public void Decode_CutCharacter_BecomesReplacementCharacter()
    {
        var t = Tokenizer();
        Assert.Equal("\uFFFD", t.Decode([0xF0, 0x9F]));
        Assert.Equal("a\uFFFDb", t.Decode([B('a'), 0xFF, B('b')]));
    }

    [Fact]
    public void Decode_IdOutsideVocabulary_NamesTokenAndPosition()
    {
        var t = Tokenizer(("a", "b"));
        var e = Assert.Throws<ArgumentException>(() => t.Decode([B('a'), 999]));
        Assert.Contains("token 999 at position 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("0..256", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Hello world")]
    [InlineData("I'm sure they'll say we've done it, haven't we?")]
    [InlineData("  leading, trailing and   inner   spaces   ")]
    [InlineData("tabs\tand\r\nnewlines\n\n\nend\n")]
    [InlineData("numbers 3.14159, 1,000,000 and 42nd")]
    [InlineData("naïve café, Ωμέγα, 日本語, עברית")]
    [InlineData("emoji 😀👍🏽 🏳️‍🌈 and 𝐀𝐁𝐂 𝟎𝟏")]
    [InlineData("\u00a0nbsp\u2003em space\u3000ideographic\u0085next line")]
    [InlineData("<|endoftext|> is text here")]
    public void DecodeEncode_RoundTrips(string text)
    {
        var t = Tokenizer(("h", "e"), ("l", "l"), (" ", "w"), ("'", "s"), (" ", " "), ("\n", "\n"));
        Assert.Equal(text, t.Decode(t.Encode(text)));
    }

    [Fact]
    public void DecodeEncode_RandomText_RoundTrips()
    {
        var t = Tokenizer(("a", "b"), ("ab", "c"), (" ", "a"), ("1", "2"), ("!", "?"));
        string[] alphabet = ["a", "b", "c", " ", "  ", "\n", "\t", "1", "2", "!", "?", "'s", "'", "é", "日", "😀", "𝐀", "\u00a0", "\u2028"];
        var random = new Random(7);
        for (int n = 0; n < 500; n++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 30)).Select(_ => alphabet[random.Next(alphabet.Length)]));
            Assert.Equal(text, t.Decode(t.Encode(text)));
        }
    }

    [Fact]
    public void Encode_RepeatedWord_GivesTheSameTokensFromTheCache()
    {
        var t = Tokenizer(("a", "b"));
        var first = t.Encode("ab ab ab");
        first[0] = 0; // callers own their arrays; the cache keeps its own
        Assert.Equal(t.Encode("ab ab ab"), t.Encode("ab ab ab"));
        Assert.Equal(Id(t, "ab"), t.Encode("ab")[0]);
    }

    [Fact]
    public void Tokenizers_ShareTheInterface()
    {
        ITokenizer[] tokenizers = [ByteTokenizer.Instance, Tokenizer(("a", "b"))];
        Assert.Equal(256, tokenizers[0].VocabSize);
        Assert.Equal(257, tokenizers[1].VocabSize);
        foreach (var t in tokenizers) Assert.Equal("ab 😀", t.Decode(t.Encode("ab 😀")));
    }
}
