// A throw-away folder of config files for include tests, deleted on Dispose.
namespace Orion.Engine.Tests.Config;

internal sealed class TempConfigDir : IDisposable
{
    public TempConfigDir()
    {
        Root = Path.Combine(Path.GetTempPath(), "orion-hocon-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
