// A worker with a zero-cost device for `step-overhead`: it speaks the worker protocol (Orion.Actors.Protocol) and answers
// every shard at once with a precomputed gradient, so a step's time is the coordinator's orchestration alone.
using Akka.Actor;
using Orion.Actors.Protocol;

namespace Orion.Cli.Bench;

/// <summary>
/// PrepareRun -> WorkerReady (after checking the weights' length, as the real worker does); ComputeShard ->
/// ShardComputed with <paramref name="gradient"/> (shared, never written) and <paramref name="loss"/>;
/// UpdateWeights -> nothing; EndRun -> stop.
/// </summary>
internal sealed class ZeroCostWorker(string name, float[] gradient, double loss, IActorRef coordinator) : UntypedActor
{
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case PrepareRun p when p.Weights.Length != gradient.Length:
                coordinator.Tell(new WorkerFailed(p.RunId, name, $"{p.Config.Name} has {p.Weights.Length:N0} weights; this zero-cost worker's gradient has {gradient.Length:N0} values"));
                break;
            case PrepareRun p:
                coordinator.Tell(new WorkerReady(p.RunId, name, p.Step, WorkerStats.None));
                break;
            case ComputeShard c:
                coordinator.Tell(new ShardComputed(c.RunId, name, c.Step, c.RequestId, c.Shard, loss, gradient, WorkerStats.None));
                break;
            case EndRun:
                Context.Stop(Self);
                break;
        }
    }
}
