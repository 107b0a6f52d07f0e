// Writes synthetic llama2.c tokenizer.bin files for tests, laid out like llama2.c's export: <unk>, the BOS and EOS
// markers, the 256 byte tokens <0x00>..<0xFF> (ids 3..258), then the pieces given, and a literal port of run.c's
// encode() merge loop to check the fast merge against.
using System.Buffers.Binary;
using System.Text;

namespace Orion.Engine.Tests.Data;

internal static class Llama2TokenizerFile
{
    public static List<(string Piece, float Score)> Standard(params (string Piece, float Score)[] pieces)
    {
        var all = new List<(string, float)> { ("<unk>", 0f), ("\n<s>\n", 0f), ("\n</s>\n", 0f) };
        for (int b = 0; b < 256; b++) all.Add(($"<0x{b:X2}>", 0f));
        all.AddRange(pieces);
        return all;
    }

    public static byte[] Bytes(IReadOnlyList<(string Piece, float Score)> pieces, int? maxTokenLength = null)
    {
        var encoded = pieces.Select(p => (Encoding.UTF8.GetBytes(p.Piece), p.Score)).ToList();
        using var stream = new MemoryStream();
        var word = new byte[4];
        void Int(int v) { BinaryPrimitives.WriteInt32LittleEndian(word, v); stream.Write(word); }
        Int(maxTokenLength ?? encoded.Max(p => p.Item1.Length));
        foreach (var (bytes, score) in encoded)
        {
            BinaryPrimitives.WriteSingleLittleEndian(word, score);
            stream.Write(word);
            Int(bytes.Length);
            stream.Write(bytes);
        }
        return stream.ToArray();
    }

    /// <summary>run.c's merge loop as written there: rescan every pair, merge the best (strictly higher score wins).</summary>
    public static List<int> ReferenceMerge(List<int> tokens, IReadOnlyList<(string Piece, float Score)> vocab)
    {
        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < vocab.Count; i++) lookup.TryAdd(vocab[i].Piece, i);
        var t = new List<int>(tokens);
        while (true)
        {
            float bestScore = -1e10f;
            int bestId = -1, bestIdx = -1;
            for (int i = 0; i < t.Count - 1; i++)
            {
                if (lookup.TryGetValue(vocab[t[i]].Piece + vocab[t[i + 1]].Piece, out int id) && vocab[id].Score > bestScore)
                {
                    bestScore = vocab[id].Score;
                    bestId = id;
                    bestIdx = i;
                }
            }
            if (bestIdx == -1) break;
            t[bestIdx] = bestId;
            t.RemoveAt(bestIdx + 1);
        }
        return t;
    }
}
