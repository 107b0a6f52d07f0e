// GPT-2 tokenizer files: vocab.json and merges.txt written by the test load to the same tokenizer as the in-memory
// vocabulary, and every kind of bad file is refused naming the file, the line and what was expected.
using System.Text;
using System.Text.Json;
using Orion.Engine.Data;
using Xunit;
using static Orion.Engine.Tests.Data.Gpt2TestVocab;

namespace Orion.Engine.Tests.Data;

public sealed class Gpt2TokenizerFileTests
{
    private static readonly (string, string)[] Rules = [(Sym(" "), Sym("w")), (Sym(" w"), Sym("o")), ("Ã", "©"), (Sym("\n"), Sym("\n"))];

    // Non-ASCII escaped as \uXXXX, as OpenAI's encoder.json is written.
    private static byte[] VocabJson(Dictionary<string, int> vocab) => JsonSerializer.SerializeToUtf8Bytes(vocab);

    private static string MergesText(IEnumerable<(string Left, string Right)> merges) =>
        "#version: 0.2\n" + string.Concat(merges.Select(m => $"{m.Left} {m.Right}\n"));

    private static InvalidDataException Refused(string vocabJson, string merges) =>
        Assert.Throws<InvalidDataException>(() => Gpt2Tokenizer.Parse(Encoding.UTF8.GetBytes(vocabJson), merges, "vocab.json", "merges.txt"));

    private static string SmallVocabJson(string extra = "") =>
        "{\n" + string.Join(",\n", Enumerable.Range(0, 256).Select(b => $"{JsonSerializer.Serialize(Char((byte)b).ToString())}: {b}")) + extra + "\n}";

    [Fact]
    public void Load_WrittenFiles_EncodeLikeTheInMemoryVocabulary()
    {
        var (vocab, merges) = BuildSymbols(Rules);
        var dir = Directory.CreateTempSubdirectory("orion-gpt2-");
        try
        {
            var vocabPath = Path.Combine(dir.FullName, "vocab.json");
            var mergesPath = Path.Combine(dir.FullName, "merges.txt");
            File.WriteAllBytes(vocabPath, VocabJson(vocab));
            File.WriteAllText(mergesPath, MergesText(merges).Replace("\n", "\r\n", StringComparison.Ordinal));
            var loaded = Gpt2Tokenizer.Load(vocabPath, mergesPath);
            var memory = new Gpt2Tokenizer(vocab, merges);
            const string text = "hello world, café\n\nwow";
            Assert.Equal(memory.Encode(text), loaded.Encode(text));
            Assert.Contains((ushort)vocab[Sym(" wo")], loaded.Encode(text));
            Assert.Equal(text, loaded.Decode(loaded.Encode(text)));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_MissingFile_NamesItAndWhatIsExpected()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Gpt2Tokenizer.Load("/nonexistent/vocab.json", "/nonexistent/merges.txt"));
        Assert.Contains("/nonexistent/vocab.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("JSON object from token to id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidJson_NamesFileAndLine()
    {
        var e = Refused("{\n\"a\": 1,\n\"b\": }\n", MergesText([]));
        Assert.StartsWith("vocab.json line 3: not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IdNotAnInteger_NamesLineAndToken()
    {
        var e = Refused("{\n\"a\": 1,\n\"b\": \"two\"\n}", MergesText([]));
        Assert.Contains("vocab.json line 3: token 'b' maps to the string \"two\"; expected an integer id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotAnObject_SaysWhatIsExpected()
    {
        var e = Refused("[1, 2]", MergesText([]));
        Assert.Contains("vocab.json line 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected a JSON object from token to id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IdOutOfUInt16Range_Refused()
    {
        var e = Refused(SmallVocabJson(",\n\"ab\": 70000"), "#version: 0.2\na b\n");
        Assert.Contains("vocab.json: token 'ab' has id 70000; expected 0..65535", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingByteToken_NamesTheByte()
    {
        var e = Refused(SmallVocabJson(",\n\"ab\": 256").Replace("\"A\": 65,\n", "", StringComparison.Ordinal), "#version: 0.2\na b\n");
        Assert.Contains("vocab.json: no token for byte 0x41 ('A')", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedMergeLine_NamesLineAndExpectedForm()
    {
        var e = Refused(SmallVocabJson(",\n\"ab\": 256"), "#version: 0.2\na b\nabc\n");
        Assert.Contains("merges.txt line 3: 'abc' is not a merge; expected two symbols separated by one space", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MergeResultNotInVocabulary_NamesLine()
    {
        var e = Refused(SmallVocabJson(",\n\"ab\": 256"), "#version: 0.2\na b\nb c\n");
        Assert.Contains("merges.txt line 3: merge 'b c' makes 'bc', which is not in vocab.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RepeatedMerge_NamesBothLines()
    {
        var e = Refused(SmallVocabJson(",\n\"ab\": 256"), "#version: 0.2\na b\na b\n");
        Assert.Contains("merges.txt line 3: merge 'a b' repeats the merge of merges.txt line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RepeatedToken_NamesLine()
    {
        var e = Refused(SmallVocabJson(",\n\"ab\": 256,\n\"ab\": 257"), MergesText([]));
        Assert.Contains("vocab.json line 259: token 'ab' appears twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoMerges_Refused()
    {
        var e = Refused(SmallVocabJson(), "#version: 0.2\n");
        Assert.Contains("merges.txt: no merge rules", e.Message, StringComparison.Ordinal);
    }
}
