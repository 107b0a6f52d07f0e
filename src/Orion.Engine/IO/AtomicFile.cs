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
    /// Overwrites an existing file's bytes in place (same inode) and fsyncs. Only for the ANE's delta reload,
    /// which needs the program folder's files rewritten in place (ane-reference.md section 3).
    /// </summary>
    public static void OverwriteInPlace(string path, ReadOnlySpan<byte> data)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        fs.Write(data);
        fs.SetLength(data.Length);
        fs.Flush(flushToDisk: true);
    }
}
