// Opens an IJournal from a one-string spec, the form --journal and the HOCON config take:
// "sqlite:PATH" (the embedded default) or "postgres:CONNSTR" (a Npgsql connection string, for a fleet).
namespace Orion.Actors.Persistence;

public static class Journals
{
    public const string SqlitePrefix = "sqlite:";
    public const string PostgresPrefix = "postgres:";

    private const string AcceptedForms =
        "expected 'sqlite:PATH' (e.g. sqlite:runs/journal.db) or 'postgres:CONNSTR' (e.g. postgres:Host=db;Database=orion;Username=orion)";

    /// <summary>Opens (creating if needed) the journal named by <paramref name="spec"/>; the schema is created or checked before it returns.</summary>
    public static Task<IJournal> OpenAsync(string spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.StartsWith(SqlitePrefix, StringComparison.Ordinal))
        {
            string path = spec[SqlitePrefix.Length..];
            if (string.IsNullOrWhiteSpace(path))
                throw new ArgumentException($"journal spec '{spec}' has no path after '{SqlitePrefix}'; {AcceptedForms}", nameof(spec));
            return SqliteJournal.OpenAsync(path, SqliteJournal.DefaultBusyTimeout, ct);
        }
        if (spec.StartsWith(PostgresPrefix, StringComparison.Ordinal))
        {
            string connectionString = spec[PostgresPrefix.Length..];
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new ArgumentException($"journal spec '{spec}' has no connection string after '{PostgresPrefix}'; {AcceptedForms}", nameof(spec));
            return PostgresJournal.OpenAsync(connectionString, ct);
        }
        throw new ArgumentException($"journal spec {Shown(spec)} is not recognized; {AcceptedForms}", nameof(spec));
    }

    /// <summary>Echoes a rejected spec, unless it may hold a password (a mistyped "postgresql:...;Password=...").</summary>
    private static string Shown(string spec) =>
        spec.Contains("password", StringComparison.OrdinalIgnoreCase) || spec.Contains("pwd", StringComparison.OrdinalIgnoreCase)
            ? $"'{spec.Split(':', '=')[0]}...' (rest not shown: it holds a password)"
            : $"'{spec}'";
}
