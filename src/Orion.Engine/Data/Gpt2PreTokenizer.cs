// GPT-2's pre-tokenizer: the regex of OpenAI's encoder.py cuts text into words (contractions, letter runs, digit runs,
// other symbols, whitespace) before BPE, and BPE never merges across the cuts. Python's `regex` matches code points,
// .NET's Regex UTF-16 units; a code point outside the BMP (emoji, math letters, rare CJK) is two surrogates that .NET
// would class as "other", so such text is matched through a stand-in string with one character per code point.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Orion.Engine.Data;

internal static partial class Gpt2PreTokenizer
{
    // encoder.py's pattern, unchanged. On BMP text .NET agrees with Python's `regex` module: \p{L} and \p{N} are the
    // general categories in both, and \s is the Unicode White_Space set in both (\t\n\v\f\r, U+0085, \p{Z}).
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    // Stand-ins for a supplementary code point: a letter that is in no contraction, a digit, and a private-use symbol.
    private const char LetterStandIn = 'x', NumberStandIn = '0', OtherStandIn = '\uE000';

    /// <summary>The words of <paramref name="text"/> as (start, length) in UTF-16 units, in order, covering all of it.</summary>
    public static List<(int Start, int Length)> Split(string text)
    {
        var words = new List<(int, int)>();
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            foreach (var m in Pattern().EnumerateMatches(text)) words.Add((m.Index, m.Length));
            return words;
        }

        // starts[k] = index in text of stand-in character k; starts[^1] = text.Length.
        var standIn = new StringBuilder(text.Length);
        var starts = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length;)
        {
            starts.Add(i);
            if (Rune.TryGetRuneAt(text, i, out var rune))
            {
                standIn.Append(rune.IsBmp ? (char)rune.Value : StandInFor(rune));
                i += rune.Utf16SequenceLength;
            }
            else
            {
                standIn.Append(text[i]); // a lone surrogate: "other" in both engines
                i++;
            }
        }
        starts.Add(text.Length);
        foreach (var m in Pattern().EnumerateMatches(standIn.ToString()))
            words.Add((starts[m.Index], starts[m.Index + m.Length] - starts[m.Index]));
        return words;
    }

    private static char StandInFor(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => LetterStandIn,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => NumberStandIn,
        _ => OtherStandIn, // no supplementary code point is White_Space
    };
}
