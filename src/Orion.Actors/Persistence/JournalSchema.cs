// The journal's schema version, stored in the table orion_schema_version by every implementation: a journal written
// by a newer (or unknown) build is refused instead of being misread or silently migrated.
namespace Orion.Actors.Persistence;

internal static class JournalSchema
{
    /// <summary>Version 1: orion_journal(stream_id, sequence, type, payload, written_at) and orion_snapshots(stream_id, sequence, payload, written_at).</summary>
    public const int Version = 1;

    public static JournalException Unsupported(string description, long found, string hint) =>
        new($"{description}: journal schema version {found}, but this build reads version {Version} only " +
            $"({(found > Version ? "written by a newer Orion build" : "not a version any Orion build wrote")}). {hint}");
}
