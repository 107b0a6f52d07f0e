// GPT-2's byte-level BPE, encoding and decoding exactly as OpenAI's encoder.py: regex pre-tokenizer, UTF-8 bytes
// written in the bytes_to_unicode alphabet, merges applied lowest rank first, decode = bytes of the tokens joined and
// UTF-8 decoded with replacement. Loading vocab.json and merges.txt is in Gpt2Tokenizer.Files.cs.
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace Orion.Engine.Data;

public sealed partial class Gpt2Tokenizer : ITokenizer
{
    // Words seen are cached like encoder.py's cache; past this many distinct words new ones are encoded but not kept,
    // so tokenizing a large corpus cannot grow memory without bound.
    private const int CacheLimit = 1 << 18;

    private readonly Dictionary<string, ushort> _ids;
    private readonly Dictionary<(string Left, string Right), int> _ranks;
    private readonly byte[]?[] _bytesOfId;
    private readonly ConcurrentDictionary<string, ushort[]> _cache = new(StringComparer.Ordinal);

    /// <summary>
    /// A tokenizer from an in-memory vocabulary (token in the byte alphabet -> id, as in vocab.json) and merge rules in
    /// rank order (as in merges.txt). The vocabulary must hold all 256 byte tokens and the result of every merge.
    /// </summary>
    public Gpt2Tokenizer(IReadOnlyDictionary<string, int> vocab, IEnumerable<(string Left, string Right)> merges)
        : this(vocab ?? throw new ArgumentNullException(nameof(vocab)), NumberedMerges(merges), "vocab", i => $"merge {i}") { }

    private Gpt2Tokenizer(IReadOnlyDictionary<string, int> vocab, IReadOnlyList<(string Left, string Right, int Line)> merges,
        string vocabName, Func<int, string> mergeWhere)
    {
        _ids = new Dictionary<string, ushort>(vocab.Count, StringComparer.Ordinal);
        int maxId = -1;
        foreach (var (token, id) in vocab)
        {
            if (id is < 0 or > ushort.MaxValue)
                throw new InvalidDataException($"{vocabName}: token '{token}' has id {id}; expected 0..65535 (token ids are stored as uint16)");
            _ids.Add(token, (ushort)id);
            maxId = Math.Max(maxId, id);
        }
        VocabSize = maxId + 1;
        _bytesOfId = new byte[VocabSize][];
        foreach (var (token, id) in _ids)
        {
            if (_bytesOfId[id] is not null)
                throw new InvalidDataException($"{vocabName}: id {id} is given to two tokens, '{token}' and '{Display(_bytesOfId[id]!)}'; expected one token per id");
            _bytesOfId[id] = BytesOf(token, vocabName);
        }
        for (int b = 0; b < 256; b++)
        {
            var symbol = Gpt2ByteAlphabet.CharOf((byte)b).ToString();
            if (!_ids.ContainsKey(symbol))
                throw new InvalidDataException($"{vocabName}: no token for byte 0x{b:X2} ('{symbol}'); a GPT-2 byte-level vocabulary has all 256 byte tokens, so check this is GPT-2's vocab.json");
        }

        _ranks = new Dictionary<(string, string), int>(merges.Count);
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (left, right, line) = merges[rank];
            if (!_ids.ContainsKey(left + right))
                throw new InvalidDataException($"{mergeWhere(line)}: merge '{left} {right}' makes '{left + right}', which is not in {vocabName}; the two files must come from the same tokenizer");
            if (!_ranks.TryAdd((left, right), rank))
                throw new InvalidDataException($"{mergeWhere(line)}: merge '{left} {right}' repeats the merge of {mergeWhere(merges[_ranks[(left, right)]].Line)}; expected each merge once");
        }
    }

    public int VocabSize { get; }

    /// <summary>The id of a token written in the byte alphabet, e.g. "&lt;|endoftext|&gt;" (50256 in GPT-2) or "Ġthe".</summary>
    public bool TryGetTokenId(string token, out ushort id) => _ids.TryGetValue(token ?? throw new ArgumentNullException(nameof(token)), out id);

    public ushort[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<ushort>(text.Length / 3 + 1);
        foreach (var (start, length) in Gpt2PreTokenizer.Split(text))
        {
            var word = Gpt2ByteAlphabet.Map(Encoding.UTF8.GetBytes(text, start, length));
            if (!_cache.TryGetValue(word, out var ids))
            {
                ids = Bpe(word);
                if (_cache.Count < CacheLimit) _cache.TryAdd(word, ids);
            }
            tokens.AddRange(ids);
        }
        return [.. tokens];
    }

    public string Decode(ReadOnlySpan<ushort> tokens)
    {
        var bytes = new List<byte>(tokens.Length * 4);
        for (int i = 0; i < tokens.Length; i++)
        {
            var piece = tokens[i] < VocabSize ? _bytesOfId[tokens[i]] : null;
            if (piece is null)
                throw new ArgumentException($"token {tokens[i]} at position {i} is not in the GPT-2 vocabulary (ids 0..{VocabSize - 1})", nameof(tokens));
            bytes.AddRange(piece);
        }
        return Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(bytes));
    }

    // encoder.py bpe(): while some adjacent pair has a merge rule, take the lowest-ranked one and merge all its
    // occurrences left to right, without overlap.
    private ushort[] Bpe(string word)
    {
        var parts = new List<string>(word.Length);
        foreach (char c in word) parts.Add(c.ToString());
        while (parts.Count > 1)
        {
            int bestRank = int.MaxValue;
            (string, string) best = default;
            for (int i = 0; i + 1 < parts.Count; i++)
                if (_ranks.TryGetValue((parts[i], parts[i + 1]), out int rank) && rank < bestRank) { bestRank = rank; best = (parts[i], parts[i + 1]); }
            if (bestRank == int.MaxValue) break;
            var merged = new List<string>(parts.Count);
            for (int i = 0; i < parts.Count;)
            {
                if (i + 1 < parts.Count && parts[i] == best.Item1 && parts[i + 1] == best.Item2) { merged.Add(best.Item1 + best.Item2); i += 2; }
                else merged.Add(parts[i++]);
            }
            parts = merged;
        }
        var ids = new ushort[parts.Count];
        for (int i = 0; i < ids.Length; i++) ids[i] = _ids[parts[i]]; // present: bytes and merge results are checked at load
        return ids;
    }

    private static byte[] BytesOf(string token, string vocabName)
    {
        var bytes = new byte[token.Length];
        for (int i = 0; i < token.Length; i++)
            if (!Gpt2ByteAlphabet.TryByteOf(token[i], out bytes[i]))
                throw new InvalidDataException($"{vocabName}: token '{token}' has character U+{(int)token[i]:X4} at {i}, which is not in GPT-2's byte alphabet; expected a byte-level BPE vocabulary (vocab.json of GPT-2)");
        return bytes;
    }

    private static string Display(byte[] bytes) => Gpt2ByteAlphabet.Map(bytes);

    private static List<(string, string, int)> NumberedMerges(IEnumerable<(string Left, string Right)> merges)
    {
        ArgumentNullException.ThrowIfNull(merges);
        return merges.Select((m, i) => (m.Left ?? throw new ArgumentException($"merge {i} has a null symbol", nameof(merges)),
            m.Right ?? throw new ArgumentException($"merge {i} has a null symbol", nameof(merges)), i)).ToList();
    }
}
