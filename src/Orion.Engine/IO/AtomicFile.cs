// Atomic file writes (temp + fsync + rename + fsync of the folder), so a crash never leaves a half-written file under
// the real name, and a power loss never forgets a rename that was acknowledged: on POSIX file systems a rename is
// durable only once the directory holding it is synced, which .NET has no API for.
using System.Runtime.InteropServices;

namespace Orion.Engine;

public static partial class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> data)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                fs.Write(data);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
            SyncDirectory(dir);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>
    /// Makes the entries of <paramref name="directory"/> (renames, creations, deletions) durable: open + fsync on Linux
    /// and macOS. Windows makes renames durable with the file's own flush, so there it does nothing.
    /// </summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        int fd = Open(directory, 0 /* O_RDONLY, which opens a directory on Linux and macOS */);
        if (fd < 0) throw new IOException($"cannot open folder '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()}); expected a readable folder");
        try
        {
            if (Fsync(fd) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                // EINVAL: the file system does not sync directories (some network and FUSE mounts); nothing more can be done.
                if (errno != 22) throw new IOException($"cannot sync folder '{directory}' (errno {errno}); its latest renames may not survive a power loss");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Overwrites an existing file's bytes in place (same inode), truncating it to the new length. Only for the ANE's
    /// delta reload, which needs the program folder's files rewritten in place (ane-reference.md section 3).
    /// <paramref name="flushToDisk"/> fsyncs before returning; callers that only need readers of the page cache
    /// (the delta reload) pass false: in-place writes are not crash-atomic either way.
    /// </summary>
    public static void OverwriteInPlace(string path, ReadOnlySpan<byte> data, bool flushToDisk = true)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        RandomAccess.Write(handle, data, 0);
        if (RandomAccess.GetLength(handle) != data.Length) RandomAccess.SetLength(handle, data.Length);
        if (flushToDisk) RandomAccess.FlushToDisk(handle);
    }
}
