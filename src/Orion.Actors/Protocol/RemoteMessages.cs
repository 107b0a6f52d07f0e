// The fleet's control messages that stand in for tensors (architecture.md, Cluster: tensors never travel as Akka
// messages). Each names a tensor on the coordinator's data plane by its reference (length and digest); the worker's
// gateway fetches or posts the bytes over HTTPS and hands the local actors the usual in-memory messages.
using System.Text.Json;

namespace Orion.Actors.Protocol;

/// <summary>A tensor on the data plane: <paramref name="Path"/> under the coordinator's data-plane URL, fp32 values.</summary>
public sealed record TensorRef(string Path, int Length, string Digest);

/// <summary>PrepareRun with the weights left on the data plane.</summary>
public sealed record PrepareRunRef(string RunId, JsonElement Config, int Seq, long Step, TensorRef Weights) : IRemoteMessage;

/// <summary>UpdateWeights with the weights left on the data plane.</summary>
public sealed record UpdateWeightsRef(string RunId, long Step, TensorRef Weights) : IRemoteMessage;

/// <summary>ShardComputed whose gradient the worker has already posted to the data plane.</summary>
public sealed record ShardComputedRef(string RunId, string Worker, long Step, long RequestId, int Shard, double Loss, TensorRef Gradients, WorkerStats Stats) : IRemoteMessage;

/// <summary>The coordinator's membership actor asks a worker node's gateway who it is.</summary>
public sealed record DescribeWorker(string RunId) : IRemoteMessage;

/// <summary>The gateway's answer: the worker's name (its identity in the run; the journal and /status use it).</summary>
public sealed record WorkerDescribed(string Worker, string Device) : IRemoteMessage;
