// The IAneDevice contract against the real ANE: runs on Apple silicon macOS, skipped elsewhere with the reason.
// On a Mac, run it alone (`dotnet test --filter AppleNeuralEngineDeviceTests`): the whole process shares the ANE's
// compile budget (R05), and the suite compiles about 40 programs.
using Orion.Engine.Ane;
using Orion.Engine.Ane.Apple;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Tests.Ane.Apple;

[RequiresAppleNeuralEngine]
public sealed class AppleNeuralEngineDeviceTests : AneDeviceContract
{
    protected override IAneDevice CreateDevice(ChipProfile profile, CompileBudget budget) =>
        OperatingSystem.IsMacOS()
            ? AppleNeuralEngineDevice.Open(new AppleDeviceOptions { Profile = profile, Budget = budget })
            : throw new PlatformNotSupportedException("the ANE device runs only on macOS; this test should have been skipped");
}
