// Shared helpers of the HOCON tests: parse text with no environment, read a scalar's text, check error locations.
using Orion.Engine.Config;
using Xunit;

namespace Orion.Engine.Tests.Config;

internal static class HoconAssert
{
    public static HoconObject Parse(string text, Func<string, string?>? environment = null) =>
        HoconParser.Parse(text, "t.conf", environment ?? (_ => null));

    public static string Text(HoconObject root, string path)
    {
        Assert.True(root.TryGet(path, out var value), $"'{path}' is missing");
        return Assert.IsType<HoconScalar>(value).Text;
    }

    public static HoconScalar Scalar(HoconObject root, string path)
    {
        Assert.True(root.TryGet(path, out var value), $"'{path}' is missing");
        return Assert.IsType<HoconScalar>(value);
    }

    public static string[] Texts(HoconObject root, string path)
    {
        Assert.True(root.TryGet(path, out var value), $"'{path}' is missing");
        return Assert.IsType<HoconArray>(value).Items.Select(i => Assert.IsType<HoconScalar>(i).Text).ToArray();
    }

    /// <summary>The error names the file and line both in its message and as data.</summary>
    public static ConfigException FailsAt(string file, int line, Action action)
    {
        var e = Assert.Throws<ConfigException>(action);
        Assert.Contains($"{file}:{line}", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(file, e.File, StringComparison.Ordinal);
        Assert.Equal(line, e.Line);
        return e;
    }
}
