// One step between its announcement and its commit: the shards, who computes each (by request id) and the results.
using Orion.Engine.Data;

namespace Orion.Coordinator;

internal sealed class StepInFlight(long step, Batch batch, Shard[] shards, float lossScale)
{
    public long Step { get; } = step;
    public Batch Batch { get; } = batch;
    public Shard[] Shards { get; } = shards;
    public float LossScale { get; } = lossScale;
    public long[] RequestIds { get; } = new long[shards.Length];
    public string?[] AssignedTo { get; } = new string?[shards.Length];
    public int[] Attempts { get; } = new int[shards.Length];
    public float[]?[] Gradients { get; } = new float[]?[shards.Length];
    public double[] Losses { get; } = new double[shards.Length];
    public string?[] ComputedBy { get; } = new string?[shards.Length];
    public Akka.Actor.ICancelable?[] Deadlines { get; } = new Akka.Actor.ICancelable?[shards.Length];
    public System.Diagnostics.Stopwatch Clock { get; } = System.Diagnostics.Stopwatch.StartNew();

    public bool Complete => Array.TrueForAll(Gradients, g => g is not null);
}
