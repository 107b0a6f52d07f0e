// Atomic file writes (temp + fsync + rename), so a crash never leaves a half-written file under the real name.
namespace Orion.Engine;

public static class AtomicFile
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
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

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
