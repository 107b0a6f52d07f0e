// Locates files of the repository from a test's output folder.
namespace Orion.Engine.Tests.Support;

internal static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "OrionCluster.sln"))) return d.FullName;
            throw new DirectoryNotFoundException("OrionCluster.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
