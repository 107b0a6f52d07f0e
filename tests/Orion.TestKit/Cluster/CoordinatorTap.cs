// What the workers hold as "the coordinator": forwards every reply to the real coordinator and records it first, so
// a test can wait for "worker-1 is ready" or "a shard failed" as a signal instead of guessing with time.
using Orion.Actors;
using Orion.Worker.Protocol;

namespace Orion.TestKit.Cluster;

public sealed class CoordinatorTap(ActorRef<CoordinatorMessage> coordinator) : ActorRef<CoordinatorMessage>
{
    public override string Path => coordinator.Path;

    /// <summary>Every message the workers sent, in the order they sent them.</summary>
    public SignalLog<CoordinatorMessage> Messages { get; } = new();

    public override void Tell(CoordinatorMessage message)
    {
        Messages.Add(message);
        coordinator.Tell(message);
    }
}
