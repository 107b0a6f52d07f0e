// Typed getters of ConfigSection: Get* throw when the key is missing or the value is wrong; Get*OrNull return null when
// the key is missing or null (so a command-line flag can take over) and still throw on a wrong value.
namespace Orion.Engine.Config;

public sealed partial class ConfigSection
{
    private const string IntText = "an integer from -2147483648 to 2147483647";
    private const string LongText = "an integer from -9223372036854775808 to 9223372036854775807";
    private const string DoubleText = "a number such as 0.5 or 1e-8";
    private const string BoolText = "true or false (yes/no and on/off also work)";
    private const string StringText = "a string";

    private delegate string? Converter<T>(HoconValue value, out T result);

    public string GetString(string key) => Required<string>(key, StringText, HoconConvert.ToText);

    public string? GetStringOrNull(string key) => Optional<string>(key, StringText, HoconConvert.ToText);

    public int GetInt(string key) => (int)Required<long>(key, IntText, ToInt);

    public int? GetIntOrNull(string key) => TryFind(key, out var v) ? (int)Convert<long>(key, v, IntText, ToInt) : null;

    public long GetLong(string key) => Required<long>(key, LongText, ToLong);

    public long? GetLongOrNull(string key) => TryFind(key, out var v) ? Convert<long>(key, v, LongText, ToLong) : null;

    public double GetDouble(string key) => Required<double>(key, DoubleText, HoconConvert.ToDouble);

    public double? GetDoubleOrNull(string key) => TryFind(key, out var v) ? Convert<double>(key, v, DoubleText, HoconConvert.ToDouble) : null;

    /// <summary>A double that must also fit a float (e.g. learning rates stored as float).</summary>
    public float GetFloat(string key) => (float)Required<double>(key, "a number within float range", ToFloatRange);

    public float? GetFloatOrNull(string key) =>
        TryFind(key, out var v) ? (float)Convert<double>(key, v, "a number within float range", ToFloatRange) : null;

    public bool GetBool(string key) => Required<bool>(key, BoolText, HoconConvert.ToBool);

    public bool? GetBoolOrNull(string key) => TryFind(key, out var v) ? Convert<bool>(key, v, BoolText, HoconConvert.ToBool) : null;

    public TimeSpan GetDuration(string key) => Required<TimeSpan>(key, HoconUnits.DurationHelp, HoconConvert.ToDuration);

    public TimeSpan? GetDurationOrNull(string key) =>
        TryFind(key, out var v) ? Convert<TimeSpan>(key, v, HoconUnits.DurationHelp, HoconConvert.ToDuration) : null;

    /// <summary>A size in bytes, never negative.</summary>
    public long GetBytes(string key) => Required<long>(key, HoconUnits.SizeHelp, HoconConvert.ToBytes);

    public long? GetBytesOrNull(string key) =>
        TryFind(key, out var v) ? Convert<long>(key, v, HoconUnits.SizeHelp, HoconConvert.ToBytes) : null;

    public IReadOnlyList<string> GetStringList(string key) => Required<IReadOnlyList<string>>(key, ListText, ToStringList);

    public IReadOnlyList<string>? GetStringListOrNull(string key) => Optional<IReadOnlyList<string>>(key, ListText, ToStringList);

    private const string ListText = "a list of strings, e.g. [\"a\", \"b\"]";

    private static string? ToInt(HoconValue value, out long result) => HoconConvert.ToLong(value, int.MinValue, int.MaxValue, out result);

    private static string? ToLong(HoconValue value, out long result) => HoconConvert.ToLong(value, long.MinValue, long.MaxValue, out result);

    private static string? ToFloatRange(HoconValue value, out double result)
    {
        var problem = HoconConvert.ToDouble(value, out result);
        return problem ?? (Math.Abs(result) > float.MaxValue ? "is out of range" : null);
    }

    private string? ToStringList(HoconValue value, out IReadOnlyList<string> result)
    {
        result = [];
        if (value is not HoconArray array) return $"is {value.Describe()}, not a list";
        var items = new List<string>(array.Items.Count);
        for (int i = 0; i < array.Items.Count; i++)
        {
            var item = array.Items[i];
            if (HoconConvert.ToText(item, out var text) is { } problem)
                return $"has element {i} (at {item.Origin}) that {problem}";
            items.Add(text);
        }
        result = items;
        return null;
    }

    private T Required<T>(string key, string expected, Converter<T> convert)
    {
        if (TryFind(key, out var value)) return Convert(key, value, expected, convert);
        var full = FullKey(key);
        var isNull = TryNull(key, out var nullValue);
        throw isNull
            ? new ConfigException($"bad value for '{full}' at {nullValue!.Origin}: null; expected {expected}", nullValue.Origin)
            : new ConfigException(
                $"missing setting '{full}'; expected {expected}. Set it in your config file (reference.conf should hold every default)");
    }

    private T? Optional<T>(string key, string expected, Converter<T> convert) where T : class =>
        TryFind(key, out var value) ? Convert(key, value, expected, convert) : null;

    private T Convert<T>(string key, HoconValue value, string expected, Converter<T> convert)
    {
        var problem = convert(value, out var result);
        if (problem is null) return result;
        throw new ConfigException(
            $"bad value for '{FullKey(key)}' at {value.Origin}: {HoconConvert.Show(value)} {problem}; expected {expected}", value.Origin);
    }

    private string FullKey(string key) => HoconPath.Parse(key).Aggregate(_path, HoconPath.Join);

    private bool TryNull(string key, out HoconValue? value)
    {
        value = null;
        HoconValue node = _object;
        foreach (var k in HoconPath.Parse(key))
        {
            if (node is not HoconObject o || !o.TryGetField(k, out var child)) return false;
            node = child;
        }
        value = node;
        return node is HoconScalar { Kind: HoconScalarKind.Null };
    }
}
