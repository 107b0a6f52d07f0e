// A temporary folder that deletes itself: run directories, program caches. Deletion is best effort, so a file still
// held open on some platform never turns a passing test red.
namespace Orion.TestKit.Cluster;

public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "orion-cluster")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A path inside the folder (not created).</summary>
    public string At(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
