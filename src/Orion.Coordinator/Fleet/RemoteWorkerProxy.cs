// The coordinator's stand-in for one worker on another node: the coordinator talks to it as to a local worker, and
// it turns tensors into data-plane references on the way out (PrepareRun, UpdateWeights) and back into arrays on the
// way in (ShardComputedRef, checked against its digest), so no tensor ever travels as an Akka message.
using Akka.Actor;
using Orion.Actors.DataPlane;
using Orion.Actors.Protocol;

namespace Orion.Coordinator.Fleet;

internal sealed class RemoteWorkerProxy : ReceiveActor
{
    public RemoteWorkerProxy(IActorRef gateway, string name, IActorRef coordinator, TensorStore store)
    {
        Receive<PrepareRun>(p =>
        {
            store.TensorLength = p.Weights.Length;
            gateway.Tell(new PrepareRunRef(p.RunId, p.Config.ToJsonElement(), p.Seq, p.Step, store.PublishWeights(p.Step, p.Weights)));
        });
        Receive<UpdateWeights>(u => gateway.Tell(new UpdateWeightsRef(u.RunId, u.Step, store.PublishWeights(u.Step, u.Weights))));
        Receive<WorkerCommand>(c => gateway.Tell(c)); // ComputeShard, EndRun: small, they travel as they are
        Receive<ShardComputedRef>(c =>
        {
            // The worker's name is the one it joined under, and the gradient's path the one its request names,
            // whatever the message says.
            var path = TensorStore.GradientPath(c.Step, c.Shard, c.RequestId);
            string error = $"the reply names {c.Gradients.Path}, not {path}";
            var gradients = c.Gradients.Path == path ? store.TakeGradient(c.Gradients, out error) : null;
            coordinator.Tell(gradients is null
                ? new ShardFailed(c.RunId, name, c.Step, c.RequestId, c.Shard, "data plane: " + error)
                : new ShardComputed(c.RunId, name, c.Step, c.RequestId, c.Shard, c.Loss, gradients, c.Stats));
        });
        Receive<WorkerReady>(r => coordinator.Tell(r with { Worker = name }));
        Receive<ShardFailed>(f => coordinator.Tell(f with { Worker = name }));
        Receive<WorkerFailed>(f => coordinator.Tell(f with { Worker = name }));
        Receive<DeviceFingerprintChanged>(d => coordinator.Tell(d with { Worker = name }));
    }

    public static Props Props(IActorRef gateway, string name, IActorRef coordinator, TensorStore store) =>
        Akka.Actor.Props.Create(() => new RemoteWorkerProxy(gateway, name, coordinator, store));
}
