// The coordinator's snapshot: a reference to a checkpoint on disk (folder + weights hash), plus the run's identity so
// that recovery from a snapshot needs none of the events before it. The weights themselves live in the checkpoint.
namespace Orion.Actors.Journal;

public sealed record RunSnapshot(RunStarted Run, CheckpointSaved Checkpoint);
