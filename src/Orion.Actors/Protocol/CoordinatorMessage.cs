// What reaches the coordinator: workers' replies (ready, shard computed or failed, device changed) and membership
// news from the host or the link layer (joined, left). Shared vocabulary: the worker and the coordinator both speak it.
using Akka.Actor;

namespace Orion.Actors.Protocol;

public abstract record CoordinatorMessage;

/// <summary>A worker is reachable through <paramref name="Ref"/> (an in-process worker actor, its supervisor, or a link proxy actor); the coordinator watches it; <paramref name="BytesExchanged"/> reads its link's traffic.</summary>
public sealed record WorkerJoined(string Worker, IActorRef Ref, string Address, Func<long>? BytesExchanged = null) : CoordinatorMessage;

/// <summary>A worker is gone: its actor stopped, or its link closed or failed its heartbeats.</summary>
/// <remarks><paramref name="Ref"/>, when given, must be the slot's own: a stale link closing never removes the worker's newer connection.</remarks>
public sealed record WorkerLeft(string Worker, string Reason, IActorRef? Ref = null) : CoordinatorMessage;

public sealed record WorkerReady(string RunId, string Worker, long Step, WorkerStats Stats) : CoordinatorMessage, IRemoteMessage;

public sealed record ShardComputed(string RunId, string Worker, long Step, long RequestId, int Shard, double Loss, float[] Gradients, WorkerStats Stats) : CoordinatorMessage;

public sealed record ShardFailed(string RunId, string Worker, long Step, long RequestId, int Shard, string Error) : CoordinatorMessage, IRemoteMessage;

/// <summary>
/// The worker's device fingerprint differs from the one its programs were compiled (or cached) for — an OS update, seen
/// while running or after a restart: <paramref name="Invalidated"/> cached programs were discarded and recompiled.
/// </summary>
public sealed record DeviceFingerprintChanged(string RunId, string Worker, Orion.Engine.Ane.DeviceFingerprint Old, Orion.Engine.Ane.DeviceFingerprint New, int Invalidated, WorkerStats Stats) : CoordinatorMessage, IRemoteMessage;

/// <summary>The worker could not prepare (compile) for the run; it holds no programs.</summary>
public sealed record WorkerFailed(string RunId, string Worker, string Error) : CoordinatorMessage, IRemoteMessage;
