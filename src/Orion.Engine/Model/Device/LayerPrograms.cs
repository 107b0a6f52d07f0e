// Graphs of one layer's device programs on the ANE layout [1, C, 1, T] (one sequence per evaluation), built from the
// current parameters: weights are baked constants (R07), so a new step's weights reach the device by delta patch.
// Backward-data programs bake transposed weights (ane-reference.md section 9). The CPU keeps the residual stream,
// norms' backward and every weight gradient.
using Orion.Engine.Graph;
using Orion.Engine.Tensors;

namespace Orion.Engine.Model.Device;

public static partial class LayerPrograms
{
    /// <summary>Names of the outputs a program produces (binding order is alphabetical; sessions read by name).</summary>
    public static IReadOnlyList<string> Outputs(ModelFamily family, ProgramKind kind) => (family, kind) switch
    {
        (ModelFamily.Gpt2, ProgramKind.ForwardAttention) => ["att", "ln", "qkv", "y"],
        (ModelFamily.Gpt2, ProgramKind.ForwardFfn) => ["h", "ln", "pre", "y"],
        (ModelFamily.Gpt2, ProgramKind.BackwardFfn) => ["dpre", "dx"],
        (ModelFamily.Gpt2, ProgramKind.BackwardAttention) => ["dk", "dq", "dv", "dx"],
        (ModelFamily.Llama, ProgramKind.ForwardAttention) => ["att", "k", "ln", "q", "v", "y"],
        (ModelFamily.Llama, ProgramKind.ForwardFfn) => ["g", "h", "ln", "u", "y"],
        (ModelFamily.Llama, ProgramKind.BackwardFfn) => ["dg", "du", "dx"],
        (ModelFamily.Llama, ProgramKind.BackwardAttention) => ["dk", "dq", "dv", "dx"],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string ProgramName(ModelConfig config, ProgramKind kind, int layer) =>
        $"{config.Name}-l{layer}-{kind switch { ProgramKind.ForwardAttention => "fwd-attn", ProgramKind.ForwardFfn => "fwd-ffn", ProgramKind.BackwardFfn => "bwd-ffn", _ => "bwd-attn" }}";

    /// <summary>The graph of one program for layer <paramref name="layer"/> at sequence length <paramref name="seq"/>.</summary>
    public static Graph.Graph Build(ModelParameters p, ProgramKind kind, int layer, int seq, LoraShape? lora = null)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (lora is not null && kind != ProgramKind.ForwardAttention) throw new ArgumentException("LoRA adapters are inputs of the forward-attention program only", nameof(lora));
        var b = new GraphBuilder(ProgramName(p.Config, kind, layer));
        var l = new Layer(b, p, layer, seq);
        if (p.Config.Family == ModelFamily.Gpt2)
        {
            switch (kind)
            {
                case ProgramKind.ForwardAttention: Gpt2ForwardAttention(l, lora); break;
                case ProgramKind.ForwardFfn: Gpt2ForwardFfn(l); break;
                case ProgramKind.BackwardFfn: Gpt2BackwardFfn(l); break;
                default: Gpt2BackwardAttention(l); break;
            }
        }
        else
        {
            switch (kind)
            {
                case ProgramKind.ForwardAttention: LlamaForwardAttention(l, lora); break;
                case ProgramKind.ForwardFfn: LlamaForwardFfn(l); break;
                case ProgramKind.BackwardFfn: LlamaBackwardFfn(l); break;
                default: LlamaBackwardAttention(l); break;
            }
        }
        return b.Graph;
    }

    /// <summary>Helpers over one layer's parameters: constants named after the parameter they come from.</summary>
    private sealed class Layer(GraphBuilder b, ModelParameters p, int layer, int seq)
    {
        public GraphBuilder B { get; } = b;
        public ModelConfig Config => p.Config;
        public int C => p.Config.Channels;
        public int H => p.Config.Hidden;
        public int T { get; } = seq;

        public Node Input(string name, int channels) => B.Input(name, channels, T);

        /// <summary>A vector parameter [n].</summary>
        public Node Vector(string name) => B.Const(name, new Shape(p.Layout[name].LayerSize), p.Layer(name, layer).ToArray());

        /// <summary>A matrix parameter (rows, cols) = (out, in), or a row range of it.</summary>
        public Node Matrix(string name, int rows, int cols, int rowStart = 0, string? constName = null) =>
            B.Const(constName ?? name, new Shape(rows, cols), p.Layer(name, layer).Slice(rowStart * cols, rows * cols).ToArray());

        /// <summary>The transpose of a (rows, cols) block starting at <paramref name="rowStart"/>: a (cols, rows) constant.</summary>
        public Node Transposed(string name, int rows, int cols, string constName, int rowStart = 0)
        {
            var src = p.Layer(name, layer).Slice(rowStart * cols, rows * cols);
            var t = new float[rows * cols];
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = src[r * cols + c];
            return B.Const(constName, new Shape(cols, rows), t);
        }

        public Node Channels(Node x, int start, int count, string name) => B.Slice(x, [0, start, 0, 0], [1, count, 1, T], name);
    }
}
