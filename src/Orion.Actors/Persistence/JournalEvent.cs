// One event of a journal stream: its position (1, 2, 3, ... per stream), a type name the coordinator dispatches on,
// and the opaque payload bytes the journal stores bit for bit (architecture.md, Cluster: "Persist before acting").
namespace Orion.Actors.Persistence;

public sealed record JournalEvent(long Sequence, string Type, byte[] Payload);
