// The run cannot go on, for a reason the user can act on (no worker left, a shard that fails everywhere): the
// coordinator stops, and `orion` reports it as one paragraph, exit 1, with the run directory intact for a resume.
namespace Orion.Coordinator;

public sealed class RunFailedException(string message) : Exception(message);
