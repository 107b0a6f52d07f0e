// Binds one object of a configuration (e.g. orion.training) to typed values at start-up, with errors a user can act
// on: Akka's own getters throw FormatException("The input string 'soon' was not in a correct format") or even
// ArgumentNullException for an object where a number belongs. Here every wrong value names its key, the file and
// line it came from, what it is and what was expected. Get*OrNull return null when the key is missing, null or ""
// (so a flag or an environment variable can take over) and still throw on a wrong value.
using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Orion.Actors.Configuration;

public sealed class ConfigSection
{
    private readonly Config _config;
    private readonly HoconFile? _source;
    private readonly Action<string>? _read;

    /// <param name="config">The configuration to read (usually the user's files over the reference).</param>
    /// <param name="path">The object this reads, e.g. "orion.training".</param>
    /// <param name="source">Where the values came from, so errors can name file and line.</param>
    /// <param name="read">Told the full path of every key read (so a test can check each is documented).</param>
    public ConfigSection(Config config, string path, HoconFile? source = null, Action<string>? read = null)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        Path = path ?? throw new ArgumentNullException(nameof(path));
        _source = source;
        _read = read;
        if (Value(path) is { } v && !v.IsObject() && v.GetString() is not null)
            throw Bad(path, v, "an object (a section of settings, e.g. " + path[(path.LastIndexOf('.') + 1)..] + " { ... })");
    }

    public string Path { get; }

    public ConfigSection Section(string key) => new(_config, Full(key), _source, _read);

    public bool Has(string key) => Text(key) is not null || Value(Full(key)) is { } v && (v.IsObject() || IsList(v));

    public string? GetStringOrNull(string key) => Text(key) is { Length: > 0 } s ? s : null;

    public string GetString(string key) => Text(key) ?? throw Missing(key, "a string");

    public int? GetIntOrNull(string key) => Parse(key, IntText, s => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : (int?)null);

    public int GetInt(string key) => GetIntOrNull(key) ?? throw Missing(key, IntText);

    public long? GetLongOrNull(string key) => Parse(key, LongText, s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : (long?)null);

    public long GetLong(string key) => GetLongOrNull(key) ?? throw Missing(key, LongText);

    /// <summary>A number that must fit a float (learning rates and betas are stored as float).</summary>
    public float? GetFloatOrNull(string key) => Parse(key, FloatText, s =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && Math.Abs(v) <= float.MaxValue ? (float)v : (float?)null);

    public float GetFloat(string key) => GetFloatOrNull(key) ?? throw Missing(key, FloatText);

    public bool? GetBoolOrNull(string key) => Parse<bool>(key, BoolText, s => s.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => null,
    });

    public bool GetBool(string key) => GetBoolOrNull(key) ?? throw Missing(key, BoolText);

    /// <summary>A duration in HOCON's units (250ms, 5s, 10m, 1h, 2d); never negative.</summary>
    public TimeSpan? GetDurationOrNull(string key)
    {
        if (Text(key) is not { Length: > 0 }) return null;
        var value = Value(Full(key))!;
        try
        {
            var t = value.GetTimeSpan(allowInfinite: false);
            return t >= TimeSpan.Zero ? t : throw Bad(Full(key), value, DurationText);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw Bad(Full(key), value, DurationText, e);
        }
    }

    public TimeSpan GetDuration(string key) => GetDurationOrNull(key) ?? throw Missing(key, DurationText);

    /// <summary>A size in bytes (49152, 48KiB, 16MiB); never negative.</summary>
    public long? GetBytesOrNull(string key)
    {
        if (Text(key) is not { Length: > 0 }) return null;
        var value = Value(Full(key))!;
        try
        {
            return value.GetByteSize() is { } n and >= 0 ? n : throw Bad(Full(key), value, BytesText);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw Bad(Full(key), value, BytesText, e);
        }
    }

    public long GetBytes(string key) => GetBytesOrNull(key) ?? throw Missing(key, BytesText);

    /// <summary>A list of strings; null when the key is missing.</summary>
    public IReadOnlyList<string>? GetStringListOrNull(string key)
    {
        var full = Full(key);
        _read?.Invoke(full);
        if (Value(full) is not { } value || (!IsList(value) && value.GetString() is null)) return null;
        if (!IsList(value)) throw Bad(full, value, "a list of strings, e.g. [\"a\", \"b\"]");
        var items = new List<string>();
        foreach (var item in value.GetArray())
            items.Add(item.IsObject() || item.IsArray() || item.GetString() is not { } s ? throw Bad(full, value, "a list of strings, e.g. [\"a\", \"b\"]") : s);
        return items;
    }

    /// <summary>The error for a value that is well-formed but wrong here (out of range, not a known name).</summary>
    public ConfigException Invalid(string key, string problem)
    {
        var full = Full(key);
        var where = Where(full, out var file, out var line);
        return new ConfigException($"bad value for '{full}'{where}: {problem}", file, line);
    }

    private const string IntText = "an integer from -2147483648 to 2147483647";
    private const string LongText = "an integer from -9223372036854775808 to 9223372036854775807";
    private const string FloatText = "a number within float range, such as 0.5 or 1e-8";
    private const string BoolText = "true or false (yes/no and on/off also work)";
    private const string DurationText = "a duration such as 250ms, 5s, 10m or 1h, not negative";
    private const string BytesText = "a size such as 49152, 48KiB or 16MiB, not negative";

    /// <summary>Akka's IsArray() is false for an empty list, which is still a list.</summary>
    internal static bool IsList(HoconValue v) => v.IsArray() || (v.Values.Count > 0 && v.Values.All(e => e is HoconArray));

    private string Full(string key) => key.Length == 0 ? Path : Path.Length == 0 ? key : Path + "." + key;

    private HoconValue? Value(string fullPath)
    {
        try
        {
            return _config.GetValue(fullPath);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NullReferenceException or FormatException)
        {
            // A parent of the key is not an object (e.g. training = 5): the key cannot be there.
            return null;
        }
    }

    /// <summary>The scalar text of a key; null when missing or null. Objects and lists where a scalar belongs are errors.</summary>
    private string? Text(string key)
    {
        var full = Full(key);
        _read?.Invoke(full);
        if (Value(full) is not { } value) return null;
        if (value.IsObject()) throw Bad(full, value, "a single value, not an object");
        if (IsList(value)) throw Bad(full, value, "a single value, not a list");
        return value.GetString();
    }

    private T? Parse<T>(string key, string expected, Func<string, T?> parse) where T : struct
    {
        if (Text(key) is not { Length: > 0 } s) return null;
        return parse(s.Trim()) ?? throw Bad(Full(key), Value(Full(key))!, expected);
    }

    private ConfigException Missing(string key, string expected) =>
        new($"missing setting '{Full(key)}'; expected {expected} (reference.conf holds every default, so a user file cannot remove one)");

    private ConfigException Bad(string full, HoconValue value, string expected, Exception? inner = null)
    {
        string shown = value.IsObject() ? "an object" : IsList(value) ? "a list" : $"'{value.GetString()}'";
        var where = Where(full, out var file, out var line);
        return new ConfigException($"bad value for '{full}'{where}: {shown}; expected {expected}", file, line, inner);
    }

    private string Where(string full, out string? file, out int line)
    {
        file = null;
        line = 0;
        if (_source is null || !_source.Config.HasPath(full)) return "";
        var at = _source.Locate(full, out var f, out line);
        file = f;
        return " at " + at;
    }
}
