// The coordinator's view of one worker: how to reach it, where it is in the join protocol, what weights it holds.
using Akka.Actor;
using Orion.Actors.Protocol;

namespace Orion.Coordinator;

internal enum WorkerState { Preparing, Ready }

internal sealed class WorkerSlot(string name, IActorRef actor, string address, int rank, Func<long>? bytes)
{
    public string Name { get; } = name;
    public IActorRef Ref { get; } = actor;
    public string Address { get; } = address;
    /// <summary>Join order: ties between equally loaded workers go to the lower rank, so assignment is reproducible.</summary>
    public int Rank { get; } = rank;
    public WorkerState State { get; set; } = WorkerState.Preparing;
    public long WeightsStep { get; set; }
    public int ShardsComputed { get; set; }
    public int Failures { get; set; }
    public WorkerStats Stats { get; set; } = WorkerStats.None;
    public long BytesExchanged => bytes?.Invoke() ?? 0;
}
