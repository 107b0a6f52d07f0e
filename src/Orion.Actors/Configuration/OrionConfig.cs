// The configuration of one orion command: the user's --config file (if any) over hocon/reference.conf, which is
// compiled into this assembly so that a bare `orion train` runs on the documented defaults. The same Config feeds
// the command's `orion` settings and, through its `akka` section, every actor system the command starts.
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Orion.Actors.Configuration;

public sealed class OrionConfig
{
    private const string ReferenceResource = "Orion.reference.conf";

    private static readonly Lazy<Config> LazyReference = new(() =>
    {
        using var stream = typeof(OrionConfig).Assembly.GetManifestResourceStream(ReferenceResource)
            ?? throw new InvalidOperationException($"{ReferenceResource} is not embedded in {typeof(OrionConfig).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return HoconFile.Parse(reader.ReadToEnd(), "reference.conf");
    });

    private OrionConfig(Config merged, HoconFile? file)
    {
        Merged = merged;
        File = file;
    }

    /// <summary>hocon/reference.conf: every `orion` default and every `akka` setting Orion changes.</summary>
    public static Config Reference => LazyReference.Value;

    /// <summary>The reference alone, as a command without --config sees it.</summary>
    public static OrionConfig Default { get; } = new(Reference, null);

    /// <summary>The user's files over the reference.</summary>
    public Config Merged { get; }

    /// <summary>The user's file, or null when none was given.</summary>
    public HoconFile? File { get; }

    /// <summary>Reads <paramref name="path"/> (null: the reference alone) and refuses any `orion` key the reference lacks.</summary>
    public static OrionConfig Load(string? path)
    {
        if (path is null) return Default;
        var file = HoconFile.Load(path);
        var config = new OrionConfig(file.Config.WithFallback(Reference), file);
        config.EnsureKnownKeys();
        return config;
    }

    /// <summary>The typed view of one object, e.g. Section("orion.training").</summary>
    public ConfigSection Section(string path) => new(Merged, path, File, key => { lock (_read) _read.Add(key); });

    /// <summary>Every key read through <see cref="Section"/> so far: each must be one reference.conf documents.</summary>
    public IReadOnlyCollection<string> KeysRead
    {
        get { lock (_read) return [.. _read]; }
    }

    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>
    /// Every `orion` key must be one reference.conf documents: a misspelt key would otherwise be a setting silently
    /// ignored. The error names the key, where it was set and the nearest known spelling. (Akka's own keys are Akka's
    /// to judge: it ignores what it does not know, as it always has.)
    /// </summary>
    private void EnsureKnownKeys()
    {
        if (File is null || File.Config.GetValue("orion") is not { } orion || !orion.IsObject()) return;
        var problems = new List<ConfigException>();
        Walk(orion.GetObject(), "orion", problems);
        if (problems.Count == 1) throw problems[0];
        if (problems.Count > 1)
            throw new ConfigException(string.Join(Environment.NewLine, problems.Select(p => p.Message)), problems[0].File, problems[0].Line);
    }

    private void Walk(HoconObject user, string path, List<ConfigException> problems)
    {
        var known = Reference.GetValue(path) is { } r && r.IsObject() ? r.GetObject().Items.Keys.ToList() : [];
        foreach (var (key, value) in user.Items)
        {
            var full = path + "." + key;
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                var at = File!.Locate(full, out var file, out var line);
                var hint = Nearest(key, known) is { } near ? $"; did you mean '{path}.{near}'?" : "";
                var list = known.Count == 0 ? "(none)" : string.Join(", ", known);
                problems.Add(new ConfigException($"unknown key '{full}' at {at}; known keys in {path}: {list}{hint}", file, line));
                continue;
            }
            if (value.IsObject() && Reference.GetValue(full) is { } rv && rv.IsObject())
                Walk(value.GetObject(), full, problems);
        }
    }

    private static string? Nearest(string key, List<string> known) =>
        known.Select(k => (Key: k, Distance: EditDistance(key, k)))
            .Where(c => c.Distance <= Math.Max(1, Math.Min(3, key.Length / 3)))
            .OrderBy(c => c.Distance).Select(c => c.Key).FirstOrDefault();

    /// <summary>Edit distance counting a swap of neighbours as one edit (optimal string alignment): stpes -> steps is 1.</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
