// How a worker gets its device and program cache. The device factory is called again to recycle the device when the
// compile budget (R05) would be exceeded: the emulator gets a fresh budget, as a fresh device process would.
using Orion.Engine.Ane;

namespace Orion.Worker;

public sealed record WorkerOptions
{
    public required string Name { get; init; }

    /// <summary>Opens the worker's device; called once at start and once per recycle.</summary>
    public required Func<IAneDevice> OpenDevice { get; init; }

    /// <summary>The persistent program cache (keyed by chip + OS build); null compiles every time.</summary>
    public ProgramCache? Cache { get; init; }
}
