// What the coordinator tells a worker (architecture.md, Cluster). Immutable records named for intent, each carrying
// the run id and, where it applies, the step and a request id, so a late or duplicated reply is recognised and dropped.
using Orion.Engine.Model;

namespace Orion.Actors.Protocol;

public abstract record WorkerCommand(string RunId);

/// <summary>Join the run: compile (or load from the cache) the model's programs for sequences of <paramref name="Seq"/> with these weights.</summary>
public sealed record PrepareRun(string RunId, ModelConfig Config, int Seq, long Step, float[] Weights) : WorkerCommand(RunId);

/// <summary>
/// Compute one shard of step <paramref name="Step"/>: loss and the gradient of loss * <paramref name="GradScale"/>, on
/// the weights after step <paramref name="WeightsStep"/>. A worker holding other weights (an update lost on the way)
/// refuses the shard instead of computing a gradient that would silently change the run.
/// </summary>
/// <param name="Bf16Gradients">The run sums bf16 gradients: a remote worker sends this shard's as bf16 (half the bytes).</param>
public sealed record ComputeShard(string RunId, long Step, long RequestId, int Shard, int BatchSize, int Seq, int[] Inputs, int[] Targets, float GradScale, long WeightsStep, bool Bf16Gradients = false) : WorkerCommand(RunId), IRemoteMessage;

/// <summary>The weights after step <paramref name="Step"/> was committed: delta-patch them into the programs.</summary>
/// <param name="Owned">The array belongs to this message alone (it came off a link) and goes back to the TensorPool once
/// copied; in-process the coordinator shares one array among all workers, so it must not.</param>
public sealed record UpdateWeights(string RunId, long Step, float[] Weights, bool Owned = false) : WorkerCommand(RunId);

/// <summary>The run is over for this worker: it ended, or (<paramref name="Dismissed"/>) the coordinator gave up on this
/// worker (no answer, repeated failures) while the run goes on, so a worker process may start afresh and rejoin.</summary>
public sealed record EndRun(string RunId, string Reason, bool Dismissed = false) : WorkerCommand(RunId), IRemoteMessage;
