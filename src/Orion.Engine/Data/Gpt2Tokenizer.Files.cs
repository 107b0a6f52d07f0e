// Reading GPT-2's tokenizer files: vocab.json (a JSON object token -> id, OpenAI's encoder.json under another name)
// and merges.txt (a "#version" line, then one merge per line: two symbols separated by a space, in rank order).
// Both are checked as they are read, and a fault names the file, the line and what was expected.
using System.Text;
using System.Text.Json;

namespace Orion.Engine.Data;

public sealed partial class Gpt2Tokenizer
{
    public static Gpt2Tokenizer Load(string vocabJsonPath, string mergesPath)
    {
        ArgumentNullException.ThrowIfNull(vocabJsonPath);
        ArgumentNullException.ThrowIfNull(mergesPath);
        if (!File.Exists(vocabJsonPath))
            throw new FileNotFoundException($"GPT-2 vocabulary '{vocabJsonPath}' does not exist (expected vocab.json: a JSON object from token to id, 50,257 entries for GPT-2)", vocabJsonPath);
        if (!File.Exists(mergesPath))
            throw new FileNotFoundException($"GPT-2 merges '{mergesPath}' does not exist (expected merges.txt: '#version: 0.2', then one merge 'a b' per line)", mergesPath);
        return Parse(File.ReadAllBytes(vocabJsonPath), File.ReadAllText(mergesPath, Encoding.UTF8), vocabJsonPath, mergesPath);
    }

    /// <summary>Parses the contents of vocab.json (UTF-8 bytes) and merges.txt; the names are used in error messages.</summary>
    public static Gpt2Tokenizer Parse(ReadOnlySpan<byte> vocabJson, string mergesText, string vocabName, string mergesName)
    {
        ArgumentNullException.ThrowIfNull(mergesText);
        var vocab = ParseVocab(vocabJson, vocabName);
        var merges = ParseMerges(mergesText, mergesName);
        return new Gpt2Tokenizer(vocab, merges, vocabName, line => $"{mergesName} line {line}");
    }

    private static Dictionary<string, int> ParseVocab(ReadOnlySpan<byte> json, string name)
    {
        if (json.StartsWith("\uFEFF"u8)) json = json[3..];
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new InvalidDataException($"{name} line {LineAt(json, reader.TokenStartIndex)}: the file starts with {Describe(reader)}; expected a JSON object from token to id ({{\"!\": 0, ...}})");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string token = reader.GetString()!;
                long at = reader.TokenStartIndex;
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int id))
                    throw new InvalidDataException($"{name} line {LineAt(json, at)}: token '{token}' maps to {Describe(reader)}; expected an integer id");
                if (!vocab.TryAdd(token, id))
                    throw new InvalidDataException($"{name} line {LineAt(json, at)}: token '{token}' appears twice (ids {vocab[token]} and {id}); expected each token once");
            }
            if (reader.TokenType != JsonTokenType.EndObject)
                throw new InvalidDataException($"{name} line {LineAt(json, reader.TokenStartIndex)}: found {Describe(reader)}; expected a token or the end of the object");
            if (reader.Read())
                throw new InvalidDataException($"{name} line {LineAt(json, reader.TokenStartIndex)}: more JSON after the vocabulary object; expected the file to end");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name} line {(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message}); expected GPT-2's vocab.json", e);
        }
        if (vocab.Count == 0) throw new InvalidDataException($"{name}: the vocabulary is empty; expected GPT-2's vocab.json (50,257 tokens)");
        return vocab;
    }

    private static List<(string, string, int)> ParseMerges(string text, string name)
    {
        var merges = new List<(string, string, int)>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (i == 0 && line.StartsWith("#version", StringComparison.Ordinal)) continue;
            if (line.Length == 0) continue; // the file ends with a newline; blank lines carry no rule
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidDataException($"{name} line {i + 1}: '{line}' is not a merge; expected two symbols separated by one space (like 'Ġ t')");
            merges.Add((parts[0], parts[1], i + 1));
        }
        if (merges.Count == 0) throw new InvalidDataException($"{name}: no merge rules; expected GPT-2's merges.txt ('#version: 0.2', then 50,000 lines like 'Ġ t')");
        return merges;
    }

    private static int LineAt(ReadOnlySpan<byte> json, long offset) => json[..(int)Math.Min(offset, json.Length)].Count((byte)'\n') + 1;

    private static string Describe(Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.None => "nothing",
        JsonTokenType.String => $"the string \"{reader.GetString()}\"",
        JsonTokenType.Number => $"the number {Encoding.UTF8.GetString(reader.ValueSpan)}",
        _ => $"a JSON {reader.TokenType}",
    };
}
