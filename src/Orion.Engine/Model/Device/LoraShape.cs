// The LoRA slots a forward-attention program is compiled with: adapters arrive as input surfaces, so swapping
// adapters rewrites inputs and never recompiles. Rank is padded to a multiple of 32 (matmul inner dimension, L03).
namespace Orion.Engine.Model.Device;

public sealed record LoraShape(int Rank, IReadOnlyList<string> Targets)
{
    public static IReadOnlyList<string> SupportedTargets { get; } = ["q", "k", "v", "o"];

    /// <summary>The program's rank capacity: the adapter's rank rounded up to a multiple of 32; extra rows are zeros.</summary>
    public int Capacity => (Rank + 31) / 32 * 32;

    public static string InputA(string target) => $"lora_{target}_a";
    public static string InputB(string target) => $"lora_{target}_b";

    public LoraShape Validate()
    {
        if (Rank <= 0) throw new ArgumentException($"LoRA rank is {Rank}; expected a positive number");
        if (Targets.Count == 0) throw new ArgumentException("LoRA needs at least one target (q, k, v, o)");
        foreach (var t in Targets)
            if (!SupportedTargets.Contains(t)) throw new ArgumentException($"LoRA target '{t}' is not supported; expected some of {string.Join(", ", SupportedTargets)}");
        return this;
    }
}
