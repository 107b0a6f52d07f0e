// The emulator's execution plan for one MIL function. (Stub: replaced by the full interpreter.)
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Ane.Emulated;

internal sealed class ExecutionPlan
{
    public static ExecutionPlan Build(MilFunction function, ChipProfile profile) => throw new NotImplementedException();
    public IReadOnlyList<MilBinding> Inputs { get; } = [];
    public IReadOnlyList<MilBinding> Outputs { get; } = [];
    public IReadOnlyList<string> WeightPaths { get; } = [];
    public int StepCount => 0;
    public void BindWeights(IReadOnlyDictionary<string, byte[]> weightFiles) => throw new NotImplementedException();
    public float[][] Execute(IReadOnlyList<float[]> inputs, TextWriter? trace) => throw new NotImplementedException();
}
