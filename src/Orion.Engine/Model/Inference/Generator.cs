// Text generation with fixed-shape programs (issue: training and inference, item 6): the ANE needs static shapes, so
// every token runs the forward programs over a fixed window of the last T tokens (positions past the context are
// padding; causal attention keeps them from touching earlier positions) and reads the logits at the newest position.
// Greedy at temperature 0, else temperature and top-k sampling from a seeded generator.
using Orion.Engine.Model.Device;
using Orion.Engine.Programs;

namespace Orion.Engine.Model.Inference;

public sealed class Generator(DeviceModel model)
{
    private readonly DeviceModel _model = model ?? throw new ArgumentNullException(nameof(model));

    public int Window => _model.Seq;

    /// <summary>Yields <paramref name="count"/> new tokens after <paramref name="prompt"/>.</summary>
    public IEnumerable<int> Generate(IReadOnlyList<int> prompt, int count, float temperature, int topK, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Count == 0) throw new ArgumentException("the prompt encodes to no tokens; give at least one character", nameof(prompt));
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "token count must be zero or more");
        if (!(temperature >= 0) || !float.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be zero (greedy) or positive");
        if (topK < 0) throw new ArgumentOutOfRangeException(nameof(topK), topK, "top-k must be zero (off) or positive");
        return Run(prompt, count, temperature, topK, seed);
    }

    private IEnumerable<int> Run(IReadOnlyList<int> prompt, int count, float temperature, int topK, ulong seed)
    {
        var context = new List<int>(prompt);
        var rng = new SeededRandom(seed);
        var window = new int[Window];
        int vocab = _model.Config.VocabSize;
        for (int i = 0; i < count; i++)
        {
            int start = Math.Max(0, context.Count - Window), len = context.Count - start;
            Array.Clear(window);
            for (int t = 0; t < len; t++) window[t] = context[start + t];
            var logits = _model.Logits(window).AsSpan((len - 1) * vocab, vocab);
            int next = Sampling.Pick(logits, temperature, topK, rng);
            context.Add(next);
            yield return next;
        }
    }
}
