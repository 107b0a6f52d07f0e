// run.c's encode(): optional BOS, the dummy-prefix " " token, one token per UTF-8 code point (bytes + 3 when the
// code point has no token), then greedy merging: while some adjacent pair concatenates to a vocabulary piece, merge
// the pair whose piece has the highest score (the leftmost on ties). run.c rescans all pairs per merge (quadratic);
// here a heap of candidate pairs gives the same merges in O(n log n), checked against a literal port in the tests.
using System.Text;

namespace Orion.Engine.Data;

public sealed partial class Llama2Tokenizer
{
    // run.c starts its best score at -1e10 and merges only strictly better pairs, so a piece scored at or below it
    // (or NaN) is never produced by a merge.
    private const float NoMergeScore = -1e10f;

    /// <summary>Encodes with BOS and without EOS, as run.c's generate() does.</summary>
    public ushort[] Encode(string text) => Encode(text, bos: true, eos: false);

    public ushort[] Encode(string text, bool bos, bool eos)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<int>(text.Length + 3);
        if (bos) tokens.Add(Bos);
        var bytes = Encoding.UTF8.GetBytes(text); // a lone surrogate becomes U+FFFD
        if (bytes.Length > 0) tokens.Add(IdOrBytes(" "u8, tokens));
        for (int start = 0; start < bytes.Length;)
        {
            // A code point: a lead byte and up to three continuation bytes (10xxxxxx), as run.c groups them.
            int end = start + 1;
            while (end < bytes.Length && (bytes[end] & 0xC0) == 0x80 && end - start < 4) end++;
            tokens.Add(IdOrBytes(bytes.AsSpan(start, end - start), tokens));
            start = end;
        }
        var merged = Merge(tokens);
        if (eos) merged.Add(Eos);
        return merged.Select(t => (ushort)t).ToArray();
    }

    // Adds the byte-fallback ids itself when there is no piece, and returns the last one (the caller adds it).
    private int IdOrBytes(ReadOnlySpan<byte> piece, List<int> tokens)
    {
        if (_idOfPiece.TryGetValue(Encoding.Latin1.GetString(piece), out int id)) return id;
        for (int i = 0; i < piece.Length; i++)
        {
            int fallback = piece[i] + ByteFallbackOffset;
            if (fallback >= VocabSize)
                throw new InvalidOperationException($"byte 0x{piece[i]:X2} has no token: its fallback id {fallback} is outside the vocabulary of {VocabSize} (llama2.c tokenizers keep ids 3..258 for the bytes <0x00>..<0xFF>)");
            if (i < piece.Length - 1) tokens.Add(fallback);
            else return fallback;
        }
        throw new InvalidOperationException("empty piece"); // code points have at least one byte
    }

    private List<int> Merge(List<int> tokens)
    {
        int n = tokens.Count;
        var token = tokens.ToArray();
        var next = new int[n];
        var prev = new int[n];
        var alive = new bool[n];
        for (int i = 0; i < n; i++) { next[i] = i + 1 < n ? i + 1 : -1; prev[i] = i - 1; alive[i] = true; }

        // Candidates ordered by score (highest first), then position (leftmost first). Positions are original
        // indices: a merge keeps its left node, so their order is the order of the current sequence.
        var heap = new PriorityQueue<Candidate, (float Score, int Left)>(Comparer<(float Score, int Left)>.Create(
            static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Left.CompareTo(b.Left)));
        void Offer(int left, int right)
        {
            if (_idOfPiece.TryGetValue(_pieces[token[left]] + _pieces[token[right]], out int id) && _scores[id] > NoMergeScore)
                heap.Enqueue(new Candidate(left, right, token[left], token[right], id), (_scores[id], left));
        }
        for (int i = 0; i + 1 < n; i++) Offer(i, i + 1);

        while (heap.TryDequeue(out var c, out _))
        {
            // Stale when either side has merged since: the pair it describes no longer exists.
            if (!alive[c.Left] || !alive[c.Right] || next[c.Left] != c.Right || token[c.Left] != c.LeftToken || token[c.Right] != c.RightToken) continue;
            token[c.Left] = c.Merged;
            alive[c.Right] = false;
            next[c.Left] = next[c.Right];
            if (next[c.Right] >= 0) prev[next[c.Right]] = c.Left;
            if (prev[c.Left] >= 0) Offer(prev[c.Left], c.Left);
            if (next[c.Left] >= 0) Offer(c.Left, next[c.Left]);
        }

        var result = new List<int>(n);
        for (int i = 0; i < n; i++) if (alive[i]) result.Add(token[i]);
        return result;
    }

    private readonly record struct Candidate(int Left, int Right, int LeftToken, int RightToken, int Merged);
}
