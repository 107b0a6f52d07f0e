// The float64 reference model: its full gradient against central differences for both families, and its forward
// against facts that do not depend on its own code (ln V at zero weights, causality, batch rows, tied embeddings).
using Orion.Engine.Model;
using Orion.Engine.Programs;
using Xunit;

namespace Orion.Engine.Tests.Model;

public sealed class ReferenceModelTests
{
    private const int Batch = 2, Seq = 5;

    private static ModelConfig Tiny(ModelFamily family) => family == ModelFamily.Gpt2
        ? new ModelConfig("fd-gpt2", ModelFamily.Gpt2, VocabSize: 11, MaxSeq: 6, Layers: 2, Channels: 8, Heads: 2, Hidden: 16)
        : new ModelConfig("fd-llama", ModelFamily.Llama, VocabSize: 11, MaxSeq: 6, Layers: 2, Channels: 8, Heads: 2, Hidden: 16);

    /// <summary>Initialised weights plus N(0, 0.3) on every tensor, so norm gains, biases and zero-initialised tensors all matter.</summary>
    private static ModelParameters Noisy(ModelFamily family, ulong seed = 1)
    {
        var p = ModelParameters.Initialize(Tiny(family), seed);
        var noise = new float[p.Data.Length];
        new SeededRandom(seed + 100).FillNormal(noise, 0.3f);
        for (int i = 0; i < noise.Length; i++) p.Data[i] += noise[i];
        return p;
    }

    private static int[] Tokens(int vocab, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var tokens = new int[Batch * Seq];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = rng.NextInt(vocab);
        return tokens;
    }

    private static double[] ToDouble(float[] data) => Array.ConvertAll(data, x => (double)x);

    [Theory]
    [InlineData(ModelFamily.Gpt2)]
    [InlineData(ModelFamily.Llama)]
    public void LossAndGradient_EveryTensor_MatchesCentralDifferences(ModelFamily family)
    {
        var p = Noisy(family);
        int[] inputs = Tokens(11, 2), targets = Tokens(11, 3);
        var analytic = new double[p.Data.Length];
        double loss = ReferenceModel.LossAndGradient(p, inputs, targets, Batch, Seq, analytic);
        Assert.Equal(ReferenceModel.Forward(p, inputs, targets, Batch, Seq), loss);

        // Perturb a double copy so the step is h itself, not h rounded to the nearest float.
        const double h = 1e-5;
        var weights = ToDouble(p.Data);
        double Loss() => ReferenceModel.Evaluate(p.Layout, weights, inputs, targets, Batch, Seq, logits: null, grad: null);
        var rng = new SeededRandom(4);
        var failures = new List<string>();
        foreach (var tensor in p.Layout.Tensors)
        {
            double largest = 0;
            for (int k = 0; k < 6; k++)
            {
                int index = (int)tensor.Offset + rng.NextInt((int)tensor.Size);
                double saved = weights[index];
                weights[index] = saved + h;
                double plus = Loss();
                weights[index] = saved - h;
                double minus = Loss();
                weights[index] = saved;
                double fd = (plus - minus) / (2 * h), an = analytic[index];
                largest = Math.Max(largest, Math.Abs(an));
                if (!(Math.Abs(fd - an) <= 1e-6 + 1e-5 * Math.Abs(an)))
                    failures.Add($"{tensor.Name}[{index - tensor.Offset}]: analytic {an:E6}, finite difference {fd:E6}");
            }
            // A tensor whose sampled gradients are all ~0 would pass vacuously.
            if (largest < 1e-4) failures.Add($"{tensor.Name}: every sampled gradient is below 1e-4 (largest {largest:E2}); the check proves nothing");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Theory]
    [InlineData(ModelFamily.Gpt2)]
    [InlineData(ModelFamily.Llama)]
    public void Forward_AllParametersZero_LossIsLnVocab(ModelFamily family)
    {
        var p = ModelParameters.Zeros(ParameterLayout.For(Tiny(family)));
        double loss = ReferenceModel.Forward(p, Tokens(11, 5), Tokens(11, 6), Batch, Seq);
        Assert.Equal(Math.Log(11), loss, 1e-12);
    }

    [Theory]
    [InlineData(ModelFamily.Gpt2)]
    [InlineData(ModelFamily.Llama)]
    public void Logits_SameInputs_EqualForwardLogits(ModelFamily family)
    {
        var p = Noisy(family);
        var inputs = Tokens(11, 7);
        var fromForward = new double[Batch * Seq * 11];
        ReferenceModel.Forward(p, inputs, Tokens(11, 8), Batch, Seq, fromForward);
        Assert.Equal(fromForward, ReferenceModel.Logits(p, inputs, Batch, Seq));
    }

    [Theory]
    [InlineData(ModelFamily.Gpt2)]
    [InlineData(ModelFamily.Llama)]
    public void Logits_LaterTokenChanged_EarlierPositionsAndOtherRowUnchanged(ModelFamily family)
    {
        var p = Noisy(family);
        var inputs = Tokens(11, 9);
        var before = ReferenceModel.Logits(p, inputs, Batch, Seq);
        int changed = 1 * Seq + 3; // batch row 1, position 3
        inputs[changed] = (inputs[changed] + 1) % 11;
        var after = ReferenceModel.Logits(p, inputs, Batch, Seq);
        Assert.Equal(before.AsSpan(0, changed * 11).ToArray(), after.AsSpan(0, changed * 11).ToArray());
        Assert.NotEqual(before.AsSpan(changed * 11, 11).ToArray(), after.AsSpan(changed * 11, 11).ToArray());
        Assert.NotEqual(before.AsSpan((changed + 1) * 11, 11).ToArray(), after.AsSpan((changed + 1) * 11, 11).ToArray());
    }

    [Theory]
    [InlineData(ModelFamily.Gpt2)]
    [InlineData(ModelFamily.Llama)]
    public void Logits_RowAlone_SameAsInsideBatch(ModelFamily family)
    {
        var p = Noisy(family);
        var inputs = Tokens(11, 10);
        var both = ReferenceModel.Logits(p, inputs, Batch, Seq);
        var second = ReferenceModel.Logits(p, inputs[Seq..], 1, Seq);
        Assert.Equal(both.AsSpan(Seq * 11).ToArray(), second);
        // A shorter sequence is a prefix of the longer one (no hidden dependence on seq).
        var prefix = ReferenceModel.Logits(p, inputs[Seq..(Seq + 3)], 1, 3);
        Assert.Equal(second.AsSpan(0, 3 * 11).ToArray(), prefix);
    }

    /// <summary>With every block's output projection zeroed the blocks are the identity, so the logits are the tied
    /// embedding times the final norm of the input embedding, computed here from the spec without the model's code.</summary>
    [Theory]
    [InlineData(ModelFamily.Gpt2)]
    [InlineData(ModelFamily.Llama)]
    public void Logits_BlocksZeroed_EqualTiedEmbeddingOfFinalNorm(ModelFamily family)
    {
        var p = Noisy(family);
        string[] zeroed = family == ModelFamily.Gpt2 ? ["attprojw", "attprojb", "fcprojw", "fcprojb"] : ["wo", "w2"];
        foreach (var name in zeroed) p[name].Clear();
        var inputs = Tokens(11, 11);
        var logits = ReferenceModel.Logits(p, inputs, Batch, Seq);

        int C = 8, V = 11;
        double eps = p.Config.NormEps;
        var emb = ToDouble(p[p.Layout.Embedding].ToArray());
        for (int n = 0; n < Batch * Seq; n++)
        {
            int t = n % Seq;
            var x = new double[C];
            for (int i = 0; i < C; i++) x[i] = emb[inputs[n] * C + i] + (family == ModelFamily.Gpt2 ? p["wpe"][t * C + i] : 0);
            var xf = new double[C];
            if (family == ModelFamily.Gpt2)
            {
                double mean = x.Average(), variance = x.Sum(v => (v - mean) * (v - mean)) / C;
                for (int i = 0; i < C; i++) xf[i] = (x[i] - mean) / Math.Sqrt(variance + eps) * p["lnfw"][i] + p["lnfb"][i];
            }
            else
            {
                double ms = x.Sum(v => v * v) / C;
                for (int i = 0; i < C; i++) xf[i] = x[i] / Math.Sqrt(ms + eps) * p["rms_final"][i];
            }
            for (int v = 0; v < V; v++)
            {
                double expected = 0;
                for (int i = 0; i < C; i++) expected += emb[v * C + i] * xf[i];
                Assert.Equal(expected, logits[n * V + v], 1e-12);
            }
        }
    }

    /// <summary>Relabelling the vocabulary (embedding rows and tokens alike) cannot change the loss: the tied
    /// embedding must be read the same way by the input lookup and the classifier.</summary>
    [Theory]
    [InlineData(ModelFamily.Gpt2)]
    [InlineData(ModelFamily.Llama)]
    public void Forward_VocabularyRelabelled_SameLoss(ModelFamily family)
    {
        var p = Noisy(family);
        int[] inputs = Tokens(11, 12), targets = Tokens(11, 13);
        int[] relabel = [3, 7, 0, 10, 5, 1, 9, 2, 8, 4, 6];
        var q = p.Clone();
        var emb = p[p.Layout.Embedding];
        var relabelled = q[q.Layout.Embedding];
        for (int v = 0; v < 11; v++) emb.Slice(v * 8, 8).CopyTo(relabelled.Slice(relabel[v] * 8, 8));
        double expected = ReferenceModel.Forward(p, inputs, targets, Batch, Seq);
        double actual = ReferenceModel.Forward(q, Array.ConvertAll(inputs, x => relabel[x]), Array.ConvertAll(targets, x => relabel[x]), Batch, Seq);
        Assert.Equal(expected, actual, 1e-12);
    }

    [Fact]
    public void Forward_TokenOutOfRange_ThrowsNamingIt()
    {
        var p = Noisy(ModelFamily.Gpt2);
        var inputs = Tokens(11, 14);
        inputs[7] = 11;
        var e = Assert.Throws<ArgumentException>(() => ReferenceModel.Forward(p, inputs, Tokens(11, 15), Batch, Seq));
        Assert.Contains("inputs[7]", e.Message, StringComparison.Ordinal);
        Assert.Contains("is 11", e.Message, StringComparison.Ordinal);

        var targets = Tokens(11, 15);
        targets[2] = -1;
        e = Assert.Throws<ArgumentException>(() => ReferenceModel.Forward(p, Tokens(11, 14), targets, Batch, Seq));
        Assert.Contains("targets[2]", e.Message, StringComparison.Ordinal);
        Assert.Contains("is -1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Logits_SeqBeyondMaxSeq_ThrowsNamingIt()
    {
        var p = Noisy(ModelFamily.Llama);
        var e = Assert.Throws<ArgumentException>(() => ReferenceModel.Logits(p, new int[7], 1, 7));
        Assert.Contains("seq is 7", e.Message, StringComparison.Ordinal);
        Assert.Contains("6", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LossAndGradient_WrongLengths_Throw()
    {
        var p = Noisy(ModelFamily.Gpt2);
        var e = Assert.Throws<ArgumentException>(() => ReferenceModel.Forward(p, new int[9], new int[10], Batch, Seq));
        Assert.Contains("inputs holds 9 tokens", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => ReferenceModel.LossAndGradient(p, new int[10], new int[10], Batch, Seq, new double[5]));
        Assert.Contains("grad holds 5", e.Message, StringComparison.Ordinal);
    }
}
