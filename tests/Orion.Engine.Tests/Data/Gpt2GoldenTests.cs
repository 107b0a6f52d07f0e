// Optional check against OpenAI's real GPT-2 files, which are not shipped with the repository: set
// ORION_GPT2_TOKENIZER_DIR to a folder holding vocab.json + merges.txt (or encoder.json + vocab.bpe, the same files
// under OpenAI's names), or have them in the Hugging Face cache; without them the tests are skipped, saying so.
using Orion.Engine.Data;
using Xunit;

namespace Orion.Engine.Tests.Data;

public sealed class Gpt2GoldenTests
{
    private static Gpt2Tokenizer Load()
    {
        var (vocab, merges) = Gpt2FilesFactAttribute.FindFiles() ?? throw new InvalidOperationException("GPT-2 files not found");
        return Gpt2Tokenizer.Load(vocab, merges);
    }

    [Gpt2FilesFact]
    public void Encode_KnownTexts_GiveGpt2Ids()
    {
        var t = Load();
        Assert.Equal(50257, t.VocabSize);
        Assert.Equal([15496, 995], t.Encode("Hello world"));
        Assert.Equal([262], t.Encode(" the"));
        Assert.Equal([40, 1101, 994, 11, 484, 821, 220, 220, 3750, 13, 628], t.Encode("I'm here, they're   gone.\n\n"));
        Assert.Equal([2616, 38776, 40304, 30325, 222], t.Encode("naïve café 😀"));
        Assert.Equal([27, 91, 437, 1659, 5239, 91, 29], t.Encode("<|endoftext|>"));
        Assert.True(t.TryGetTokenId("<|endoftext|>", out var eot));
        Assert.Equal(50256, eot);
    }

    [Gpt2FilesFact]
    public void DecodeEncode_RealVocabulary_RoundTrips()
    {
        var t = Load();
        const string text = "GPT-2 tokenizes bytes: naïve 日本語 😀👍🏽 𝐀𝐁 \t\n  end  ";
        Assert.Equal(text, t.Decode(t.Encode(text)));
    }
}
