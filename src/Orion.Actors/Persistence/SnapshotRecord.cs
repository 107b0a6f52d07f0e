// A snapshot of a stream's state as of an event sequence; recovery loads the latest one and replays later events
// (Akka.Persistence snapshot semantics; architecture.md, Cluster).
namespace Orion.Actors.Persistence;

public sealed record SnapshotRecord(long Sequence, byte[] Payload);
