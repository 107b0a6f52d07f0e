// llama2.c's tokenizer (tokenizer.bin from its tokenizer.py export of the Llama 2 SentencePiece model): an int32
// max_token_length, then per token a float32 score, an int32 length and that many UTF-8 bytes. Encoding and decoding
// follow run.c's encode() and decode() token for token; Llama2Tokenizer.Encode.cs holds the merge loop.
using System.Buffers.Binary;
using System.Text;

namespace Orion.Engine.Data;

public sealed partial class Llama2Tokenizer : ITokenizer
{
    public const int DefaultVocabSize = 32000;
    public const ushort Unknown = 0, Bos = 1, Eos = 2;

    /// <summary>Byte b without a token of its own is encoded as id b + 3 (run.c's byte fallback: ids 3..258 are &lt;0x00&gt;..&lt;0xFF&gt;).</summary>
    public const int ByteFallbackOffset = 3;

    // Pieces as Latin-1 strings (one char per byte): lossless for any bytes, and concatenating two of them is the
    // piece concatenation run.c looks up, without decoding UTF-8.
    private readonly string[] _pieces;
    private readonly float[] _scores;
    private readonly Dictionary<string, int> _idOfPiece;

    private Llama2Tokenizer(int maxTokenLength, string[] pieces, float[] scores)
    {
        MaxTokenLength = maxTokenLength;
        _pieces = pieces;
        _scores = scores;
        _idOfPiece = new Dictionary<string, int>(pieces.Length, StringComparer.Ordinal);
        for (int i = 0; i < pieces.Length; i++) _idOfPiece.TryAdd(pieces[i], i); // a repeated piece resolves to its first id
    }

    public int VocabSize => _pieces.Length;

    /// <summary>The header's max_token_length: no piece is longer (in bytes).</summary>
    public int MaxTokenLength { get; }

    /// <summary>Token <paramref name="id"/>'s piece as stored (e.g. " the", "&lt;0x0A&gt;", "\n&lt;s&gt;\n"), its bytes read as UTF-8.</summary>
    public string Piece(int id) => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(_pieces[CheckId(id)]));

    public float Score(int id) => _scores[CheckId(id)];

    public static Llama2Tokenizer Load(string path, int vocabSize = DefaultVocabSize)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"llama2.c tokenizer '{path}' does not exist (expected tokenizer.bin: int32 max_token_length, then per token float32 score, int32 length, bytes)", path);
        return Parse(File.ReadAllBytes(path), path, vocabSize);
    }

    /// <summary>Parses tokenizer.bin holding exactly <paramref name="vocabSize"/> tokens; <paramref name="name"/> is used in error messages.</summary>
    public static Llama2Tokenizer Parse(ReadOnlySpan<byte> bytes, string name, int vocabSize = DefaultVocabSize)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (vocabSize is <= 0 or > ushort.MaxValue + 1)
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "the vocab size must be 1..65536 (token ids are stored as uint16)");
        if (bytes.Length < 4)
            throw new InvalidDataException($"{name}: {bytes.Length} bytes is shorter than the 4-byte header (int32 max_token_length); the file is truncated or not a llama2.c tokenizer.bin");
        int maxLength = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (maxLength <= 0)
            throw new InvalidDataException($"{name}: max_token_length is {maxLength}; expected a positive byte count (27 for Llama 2's tokenizer.bin), so this is not a llama2.c tokenizer");
        var pieces = new string[vocabSize];
        var scores = new float[vocabSize];
        int at = 4;
        for (int i = 0; i < vocabSize; i++)
        {
            if (bytes.Length - at < 8)
                throw Truncated(bytes, name, vocabSize, i, at, "its score and length (8 bytes)");
            scores[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[at..]);
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes[(at + 4)..]);
            if (length < 0 || length > maxLength)
                throw new InvalidDataException($"{name}: token {i} of {vocabSize} (offset {at}): piece length {length}, expected 0..{maxLength} (the header's max_token_length); the file is corrupt or not a llama2.c tokenizer.bin");
            at += 8;
            if (bytes.Length - at < length)
                throw Truncated(bytes, name, vocabSize, i, at, $"its {length}-byte piece");
            pieces[i] = Encoding.Latin1.GetString(bytes.Slice(at, length));
            at += length;
        }
        if (at != bytes.Length)
        {
            int? count = CountTokens(bytes);
            string hint = count is { } n ? $"it reads as exactly {n:N0} tokens, so pass vocab size {n}" : "pass the model's vocab size";
            throw new InvalidDataException($"{name}: {bytes.Length - at:N0} bytes remain after token {vocabSize - 1}; expected the file to end there (vocab size {vocabSize:N0}); {hint}");
        }
        return new Llama2Tokenizer(maxLength, pieces, scores);
    }

    /// <summary>
    /// Decodes like run.c's decode(): BOS and EOS are markers and give no text, the piece right after BOS loses one
    /// leading space (SentencePiece's dummy prefix), pieces &lt;0xXX&gt; are raw bytes; the bytes are then read as
    /// UTF-8 with U+FFFD for invalid sequences.
    /// </summary>
    public string Decode(ReadOnlySpan<ushort> tokens)
    {
        var bytes = new List<byte>(tokens.Length * 4);
        int previous = -1;
        for (int i = 0; i < tokens.Length; i++)
        {
            int token = tokens[i];
            if (token >= VocabSize)
                throw new ArgumentException($"token {token} at position {i} is outside the vocabulary (ids 0..{VocabSize - 1})", nameof(tokens));
            if (token is Bos or Eos) { previous = token; continue; }
            var piece = _pieces[token].AsSpan();
            if (previous == Bos && piece.StartsWith(' ')) piece = piece[1..];
            if (TryRawByte(piece, out byte raw)) bytes.Add(raw);
            else foreach (char c in piece) bytes.Add((byte)c);
            previous = token;
        }
        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }

    // "<0xXX>" with two hex digits: the 256 byte tokens of the export.
    private static bool TryRawByte(ReadOnlySpan<char> piece, out byte value)
    {
        value = 0;
        return piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
            && byte.TryParse(piece[3..5], System.Globalization.NumberStyles.AllowHexSpecifier, null, out value);
    }

    private int CheckId(int id) => (uint)id < (uint)VocabSize ? id
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"expected a token id 0..{VocabSize - 1}");

    private static InvalidDataException Truncated(ReadOnlySpan<byte> bytes, string name, int vocabSize, int token, int offset, string what)
    {
        int? count = CountTokens(bytes);
        string hint = count is { } n ? $"it reads as exactly {n:N0} tokens, so pass vocab size {n}" : "the file is truncated";
        return new InvalidDataException($"{name}: token {token} of {vocabSize:N0}: the file ends at byte {bytes.Length:N0}, inside {what} at offset {offset:N0}; {hint}");
    }

    /// <summary>How many tokens the file holds when it parses cleanly to its very end, else null.</summary>
    private static int? CountTokens(ReadOnlySpan<byte> bytes)
    {
        int maxLength = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        int at = 4, count = 0;
        while (bytes.Length - at >= 8 && count <= ushort.MaxValue + 1)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes[(at + 4)..]);
            if (length < 0 || length > maxLength || bytes.Length - at - 8 < length) return null;
            at += 8 + length;
            count++;
        }
        return at == bytes.Length && count > 0 ? count : null;
    }
}
