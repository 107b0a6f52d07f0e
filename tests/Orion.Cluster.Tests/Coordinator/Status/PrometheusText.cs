// A strict reader of the Prometheus text exposition format 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats):
// "# HELP name text", "# TYPE name type", and samples "name{label="value",...} number"; anything else fails the test.
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace Orion.Cluster.Tests.Coordinator.Status;

internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

internal sealed partial class PrometheusText
{
    public Dictionary<string, string> Help { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);
    public List<PrometheusSample> Samples { get; } = [];

    [GeneratedRegex(@"^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$")]
    private static partial Regex Sample();

    [GeneratedRegex(@"\G([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\\n]|\\[\\""n])*)""(,|$)")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")]
    private static partial Regex Number();

    public static PrometheusText Parse(string text)
    {
        var p = new PrometheusText();
        if (!text.EndsWith('\n')) throw new XunitException("the exposition does not end with a line feed");
        int n = 0;
        foreach (var line in text[..^1].Split('\n'))
        {
            n++;
            if (Comment().Match(line) is { Success: true } c)
            {
                var (kind, name, rest) = (c.Groups[1].Value, c.Groups[2].Value, c.Groups[3].Value);
                var into = kind == "HELP" ? p.Help : p.Types;
                if (!into.TryAdd(name, rest)) throw new XunitException($"line {n}: a second # {kind} for {name}");
                if (kind == "TYPE" && rest is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    throw new XunitException($"line {n}: {name} has type '{rest}', expected counter, gauge, histogram, summary or untyped");
                if (kind == "TYPE" && p.Samples.Any(s => s.Name == name)) throw new XunitException($"line {n}: # TYPE {name} after its samples");
                continue;
            }
            var m = Sample().Match(line);
            if (!m.Success) throw new XunitException($"line {n} is neither a comment nor a sample: '{line}'");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var body = m.Groups[2].Value;
            int at = 0;
            while (at < body.Length)
            {
                var l = Label().Match(body, at);
                if (!l.Success) throw new XunitException($"line {n}: malformed labels at column {at}: '{body}'");
                labels.Add(l.Groups[1].Value, Unescape(l.Groups[2].Value));
                at += l.Length;
            }
            var number = m.Groups[3].Value;
            double value = number switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ when Number().IsMatch(number) => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ => throw new XunitException($"line {n}: value '{number}' is not a Prometheus number (expected e.g. 12, -1.5e-3, +Inf, NaN)"),
            };
            p.Samples.Add(new PrometheusSample(m.Groups[1].Value, labels, value));
        }
        return p;
    }

    private static string Unescape(string v)
    {
        var b = new System.Text.StringBuilder(v.Length);
        for (int i = 0; i < v.Length; i++)
            b.Append(v[i] != '\\' ? v[i] : v[++i] == 'n' ? '\n' : v[i]); // the regex admits only \\, \" and \n
        return b.ToString();
    }
}
