// What workers hold as "the coordinator": an actor that records every reply and forwards it to the real coordinator,
// so a test can wait for "worker-1 is ready" or "a shard failed" as a signal instead of guessing with time.
using Akka.Actor;
using Orion.Actors.Protocol;

namespace Orion.TestKit.Cluster;

public sealed class CoordinatorTap : UntypedActor
{
    private readonly IActorRef _coordinator;
    private readonly SignalLog<CoordinatorMessage> _messages;

    public CoordinatorTap(IActorRef coordinator, SignalLog<CoordinatorMessage> messages)
    {
        _coordinator = coordinator;
        _messages = messages;
    }

    public static Props Props(IActorRef coordinator, SignalLog<CoordinatorMessage> messages) =>
        Akka.Actor.Props.Create(() => new CoordinatorTap(coordinator, messages));

    protected override void OnReceive(object message)
    {
        if (message is CoordinatorMessage m) _messages.Add(m);
        _coordinator.Forward(message);
    }
}
