// AtomicFile: the bytes land under the real name only complete, no temp file is left behind, and the folder sync that
// makes the rename durable works on this platform's file system and reports a folder it cannot open.
using Xunit;

namespace Orion.Engine.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orion-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WriteAllBytes_ReplacesTheFileAndLeavesNoTemp()
    {
        var path = Path.Combine(_dir, "a.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        AtomicFile.WriteAllBytes(path, [4, 5]);
        Assert.Equal(new byte[] { 4, 5 }, File.ReadAllBytes(path));
        Assert.Equal(["a.bin"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void SyncDirectory_ExistingFolder_Succeeds()
    {
        File.WriteAllText(Path.Combine(_dir, "x"), "x");
        AtomicFile.SyncDirectory(_dir);
    }

    [PosixFact]
    public void SyncDirectory_MissingFolder_FailsNamingIt()
    {
        var missing = Path.Combine(_dir, "nope");
        var e = Assert.Throws<IOException>(() => AtomicFile.SyncDirectory(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }
}

/// <summary>A fact that runs where folders are opened and synced (Linux, macOS); elsewhere it is reported as skipped.</summary>
public sealed class PosixFactAttribute : FactAttribute
{
    public PosixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "folders are synced only on POSIX file systems; Windows makes renames durable with the file's own flush";
    }
}
