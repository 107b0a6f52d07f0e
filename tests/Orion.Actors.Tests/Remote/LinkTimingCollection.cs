// Tests whose failure detector runs on a 1 s FailureTimeout run alone, so CPU-heavy tests elsewhere in the assembly
// cannot starve their heartbeat timers into a false "peer dead".
using Xunit;

namespace Orion.Actors.Tests.Remote;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LinkTimingCollection
{
    public const string Name = "Link timing";
}
