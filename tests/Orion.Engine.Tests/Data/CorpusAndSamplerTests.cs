// The byte tokenizer, the built-in corpus and the batch sampler: exact round trips, determinism, and a resumed
// sampler that draws exactly the batches the uninterrupted one would have.
using Orion.Engine.Data;
using Orion.Engine.Programs;
using Xunit;

namespace Orion.Engine.Tests.Data;

public sealed class CorpusAndSamplerTests
{
    [Fact]
    public void ByteTokenizer_RoundTripsAnyText()
    {
        const string text = "Once upon a time — naïve 😀\n";
        var tokens = ByteTokenizer.Instance.Encode(text);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(text), tokens.Length);
        Assert.All(tokens, t => Assert.InRange(t, 0, 255));
        Assert.Equal(text, ByteTokenizer.Instance.Decode(tokens));
    }

    [Fact]
    public void ByteTokenizer_TokenOutsideVocabulary_Refused()
    {
        Assert.Throws<ArgumentException>(() => ByteTokenizer.Instance.Decode([65, 300]));
    }

    [Fact]
    public void Corpus_SameSeedSameText_OtherSeedOtherText()
    {
        Assert.Equal(BuiltinCorpus.Generate(50, 1), BuiltinCorpus.Generate(50, 1));
        Assert.NotEqual(BuiltinCorpus.Generate(50, 1), BuiltinCorpus.Generate(50, 2));
    }

    [Fact]
    public void Corpus_StoriesFollowTheFrame_AndRepeatTheirNames()
    {
        var stories = BuiltinCorpus.Generate(200).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200, stories.Length);
        foreach (var s in stories)
        {
            Assert.StartsWith("Once upon a time, there was a ", s, StringComparison.Ordinal);
            Assert.EndsWith(" together. The end.", s, StringComparison.Ordinal);
            var name = s.Split(" named ")[1].Split('.')[0];
            Assert.Contains($"One day, {name} found a ", s, StringComparison.Ordinal);
            var pronoun = s.Split(". ")[3].Split(' ')[0];
            Assert.Contains($"{name} gave {(pronoun == "She" ? "her" : "his")} ", s, StringComparison.Ordinal);
        }
        Assert.True(stories.Distinct().Count() > 150, "stories should vary");
    }

    [Fact]
    public void Sampler_TargetsAreInputsShiftedByOne()
    {
        var tokens = Enumerable.Range(0, 1000).Select(i => (ushort)i).ToArray();
        var batch = new BatchSampler(tokens, 4, 16, 7).Next();
        Assert.Equal(64, batch.Inputs.Length);
        for (int i = 0; i < batch.Inputs.Length; i++) Assert.Equal(batch.Inputs[i] + 1, batch.Targets[i]);
        for (int b = 0; b < 4; b++)
            for (int t = 1; t < 16; t++) Assert.Equal(batch.Inputs[b * 16] + t, batch.Inputs[b * 16 + t]);
    }

    [Fact]
    public void Sampler_ResumedFromSavedState_DrawsTheSameBatches()
    {
        var tokens = BuiltinCorpus.Tokens(100);
        var straight = new BatchSampler(tokens, 2, 32, 42);
        var first = Enumerable.Range(0, 5).Select(_ => straight.Next()).ToList();
        var saved = straight.State;
        var expected = Enumerable.Range(0, 5).Select(_ => straight.Next().Inputs).ToList();

        var resumed = new BatchSampler(tokens, 2, 32, 42);
        resumed.Restore(saved);
        Assert.Equal(5, resumed.Batches);
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => resumed.Next().Inputs).ToList());
        Assert.NotEqual(first[0].Inputs, expected[0]);
    }

    [Fact]
    public void Sampler_EveryOffsetReachable_NoneOutOfRange()
    {
        var tokens = Enumerable.Range(0, 20).Select(i => (ushort)i).ToArray();
        var s = new BatchSampler(tokens, 1, 4, 3);
        var starts = new HashSet<int>();
        for (int i = 0; i < 2000; i++) starts.Add(s.Next().Inputs[0]);
        Assert.Equal(Enumerable.Range(0, 16).ToHashSet(), starts); // 20 tokens, T = 4: offsets 0..15
    }

    [Fact]
    public void Sampler_TooLittleData_ClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => new BatchSampler([1, 2, 3], 1, 8, 1));
        Assert.Contains("--seq", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sequential_NonOverlappingWindowsFromTheStart()
    {
        var tokens = Enumerable.Range(0, 50).Select(i => (ushort)i).ToArray();
        var batches = BatchSampler.Sequential(tokens, 2, 5).ToList();
        Assert.Equal(4, batches.Count); // 49 predictable positions / 10 per batch
        Assert.Equal(Enumerable.Range(0, 10), batches[0].Inputs);
        Assert.Equal(Enumerable.Range(10, 10), batches[1].Inputs);
        Assert.Equal(Enumerable.Range(1, 10), batches[0].Targets);
        Assert.Single(BatchSampler.Sequential(tokens, 2, 5, maxBatches: 1));
    }

    [Fact]
    public void SeededRandom_NextIntInRange_AndStateResumes()
    {
        var r = new SeededRandom(9);
        for (int i = 0; i < 1000; i++) Assert.InRange(r.NextInt(7), 0, 6);
        var copy = new SeededRandom(r.State);
        Assert.Equal(r.NextUInt64(), copy.NextUInt64());
        Assert.Throws<ArgumentOutOfRangeException>(() => r.NextInt(0));
    }
}
