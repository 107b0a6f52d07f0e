// The float64 CPU reference of both model families, forward and backward (llm.c train_gpt2.c, llama2.c run.c): the
// definition every faster path is compared against. Naive loops on purpose; layers in .Layers/.Attention, families in .Gpt2/.Llama.
namespace Orion.Engine.Model;

public static partial class ReferenceModel
{
    /// <summary>
    /// Mean cross-entropy over all <paramref name="batch"/> x <paramref name="seq"/> positions. <paramref name="inputs"/> and
    /// <paramref name="targets"/> are token ids in (b, t) order; <paramref name="logits"/>, when given, receives (B, T, V).
    /// </summary>
    public static double Forward(ModelParameters p, int[] inputs, int[] targets, int batch, int seq, double[]? logits = null)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(targets);
        return Evaluate(p.Layout, ToDouble(p.Data), inputs, targets, batch, seq, logits, grad: null);
    }

    /// <summary>The loss of <see cref="Forward"/>; <paramref name="grad"/> (laid out like <see cref="ModelParameters.Data"/>) is overwritten with d(loss)/d(param).</summary>
    public static double LossAndGradient(ModelParameters p, int[] inputs, int[] targets, int batch, int seq, double[] grad)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(grad);
        return Evaluate(p.Layout, ToDouble(p.Data), inputs, targets, batch, seq, logits: null, grad);
    }

    /// <summary>Logits (B, T, V) without targets, for inference comparisons.</summary>
    public static double[] Logits(ModelParameters p, int[] inputs, int batch, int seq)
    {
        ArgumentNullException.ThrowIfNull(p);
        CheckShape(p.Config, inputs, null, batch, seq);
        var logits = new double[checked(batch * seq * p.Config.VocabSize)];
        Evaluate(p.Layout, ToDouble(p.Data), inputs, targets: null, batch, seq, logits, grad: null);
        return logits;
    }

    /// <summary>
    /// The whole computation over double parameters (so finite differences can perturb them exactly). Without
    /// <paramref name="targets"/> the loss is NaN and no gradient can be asked for; <paramref name="grad"/> is overwritten.
    /// </summary>
    internal static double Evaluate(ParameterLayout layout, double[] weights, int[] inputs, int[]? targets, int batch, int seq,
        double[]? logits, double[]? grad)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(weights);
        var config = layout.Config;
        CheckShape(config, inputs, targets, batch, seq);
        if (weights.LongLength != layout.Count)
            throw new ArgumentException($"weights hold {weights.LongLength:N0} values; model '{config.Name}' has {layout.Count:N0} parameters", nameof(weights));
        if (logits is not null && logits.LongLength != (long)batch * seq * config.VocabSize)
            throw new ArgumentException($"logits hold {logits.LongLength:N0} values; expected batch*seq*vocab = {batch}*{seq}*{config.VocabSize} = {(long)batch * seq * config.VocabSize:N0}", nameof(logits));
        if (grad is not null && grad.LongLength != layout.Count)
            throw new ArgumentException($"grad holds {grad.LongLength:N0} values; model '{config.Name}' has {layout.Count:N0} parameters (same layout as ModelParameters.Data)", nameof(grad));
        if (grad is not null && targets is null)
            throw new ArgumentException("a gradient needs targets: the loss is defined only with targets", nameof(targets));

        var w = new Tensors(layout, weights);
        var g = grad is null ? null : new Tensors(layout, grad);
        grad?.AsSpan().Clear();
        switch (config.Family)
        {
            case ModelFamily.Gpt2:
            {
                var acts = Gpt2Forward(w, inputs, batch, seq);
                double loss = Head(acts.Logits, targets, logits, g is not null, out var dlogits);
                if (g is not null) Gpt2Backward(g, dlogits!, acts, w, inputs, batch, seq);
                return loss;
            }
            case ModelFamily.Llama:
            {
                var acts = LlamaForward(w, inputs, batch, seq);
                double loss = Head(acts.Logits, targets, logits, g is not null, out var dlogits);
                if (g is not null) LlamaBackward(g, dlogits!, acts, w, inputs, batch, seq);
                return loss;
            }
            default:
                throw new ArgumentException($"model '{config.Name}': family {config.Family} has no reference implementation", nameof(layout));
        }
    }

    /// <summary>Copies the logits out, then the mean cross-entropy and (when asked) its gradient d(loss)/d(logits).</summary>
    private static double Head(double[] modelLogits, int[]? targets, double[]? logits, bool wantGradient, out double[]? dlogits)
    {
        if (logits is not null) modelLogits.CopyTo(logits, 0);
        dlogits = null;
        if (targets is null) return double.NaN;
        int n = targets.Length, v = modelLogits.Length / n;
        var probs = new double[modelLogits.Length];
        double loss = CrossEntropyForward(probs, modelLogits, targets, n, v);
        if (wantGradient)
        {
            dlogits = new double[modelLogits.Length];
            CrossEntropyBackward(dlogits, probs, targets, n, v);
        }
        return loss;
    }

    private static void CheckShape(ModelConfig config, int[] inputs, int[]? targets, int batch, int seq)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (batch < 1) throw new ArgumentException($"batch is {batch}; expected at least 1", nameof(batch));
        if (seq < 1) throw new ArgumentException($"seq is {seq}; expected at least 1", nameof(seq));
        if (seq > config.MaxSeq)
            throw new ArgumentException($"seq is {seq} but model '{config.Name}' has a context of {config.MaxSeq} positions (MaxSeq); use seq <= {config.MaxSeq}", nameof(seq));
        long n = (long)batch * seq;
        long widest = Math.Max(Math.Max(config.VocabSize, 3L * config.Channels), Math.Max(config.Hidden, (long)config.Heads * seq));
        if (n > Array.MaxLength / widest)
            throw new ArgumentException($"batch*seq = {n:N0} positions is too large for the reference activations; use a smaller batch", nameof(batch));
        CheckTokens(config, inputs, n, batch, seq, nameof(inputs));
        if (targets is not null) CheckTokens(config, targets, n, batch, seq, nameof(targets));
    }

    private static void CheckTokens(ModelConfig config, int[] tokens, long n, int batch, int seq, string name)
    {
        if (tokens.LongLength != n)
            throw new ArgumentException($"{name} holds {tokens.LongLength:N0} tokens; expected batch*seq = {batch}*{seq} = {n:N0}", name);
        for (int i = 0; i < tokens.Length; i++)
            if ((uint)tokens[i] >= (uint)config.VocabSize)
                throw new ArgumentException($"{name}[{i}] (batch {i / seq}, position {i % seq}) is {tokens[i]}; expected a token id in [0, {config.VocabSize}) for model '{config.Name}'", name);
    }

    private static double[] ToDouble(float[] data)
    {
        var d = new double[data.Length];
        for (int i = 0; i < data.Length; i++) d[i] = data[i];
        return d;
    }

    /// <summary>Named views of a double buffer laid out like <see cref="ModelParameters.Data"/>: the weights, or their gradient.</summary>
    private sealed class Tensors(ParameterLayout layout, double[] data)
    {
        public ModelConfig Config => layout.Config;

        public Span<double> this[string name]
        {
            get { var t = layout[name]; return data.AsSpan(checked((int)t.Offset), checked((int)t.Size)); }
        }

        public Span<double> Layer(string name, int l)
        {
            var t = layout[name];
            return data.AsSpan(checked((int)t.Offset + l * t.LayerSize), t.LayerSize);
        }
    }
}
