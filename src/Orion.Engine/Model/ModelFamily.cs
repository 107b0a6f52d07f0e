// The two transformer families the project trains and serves (issue: training and inference, item 1).
namespace Orion.Engine.Model;

public enum ModelFamily
{
    /// <summary>GPT-2: LayerNorm with bias, GELU-tanh MLP, learned positions, tied embeddings (llm.c's layout).</summary>
    Gpt2,

    /// <summary>Llama-2 "stories": RMSNorm, SwiGLU, interleaved RoPE, no biases, tied embeddings (llama2.c's layout).</summary>
    Llama,
}
