// What the macOS device hands the private API for one program, computed without touching native code so it can be
// tested anywhere: the weights dictionary (section 2 step 1), the temp folder's files (step 3) and the request's
// index arrays (step 8).
namespace Orion.Engine.Ane.Apple;

/// <summary>One weights-dictionary entry: <c>key -> { offset: 0, data: NSData of the whole blob file }</c>.</summary>
public sealed record WeightsEntry(string Key, int Offset, byte[] Data);

/// <summary>A file the device writes into the program's temp folder, relative to it.</summary>
public sealed record FolderFile(string RelativePath, byte[] Bytes);

public static class ProgramLayout
{
    public const string MilFileName = "model.mil";

    /// <summary>Files the compiler leaves beside ours (section 2 step 3); <c>data</c> is patched too (section 3).</summary>
    public const string CompiledDataFileName = "data";
    public const string CompiledPlistFileName = "net.plist";

    /// <summary>
    /// The weights dictionary of step 1, in key order: keys are the exact BLOBFILE path strings of the MIL, the
    /// offset is 0 and the data is the whole blob file. A weight-free program gives an empty list, which becomes an
    /// empty dictionary, never nil (R11).
    /// </summary>
    public static IReadOnlyList<WeightsEntry> WeightsDictionary(AneProgramSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Weights.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
        {
            AneProgramSource.RelativePath(kv.Key); // a key that escapes the folder is refused before any native call
            return new WeightsEntry(kv.Key, 0, kv.Value);
        }).ToList();
    }

    /// <summary>
    /// <c>&lt;temp&gt;/&lt;hex id&gt;</c>: the folder the compiler reads (the model's localModelPath). The id must be a
    /// plain file name; anything else would write outside the temp folder.
    /// </summary>
    public static string Folder(string temporaryDirectory, string hexIdentifier)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(temporaryDirectory);
        if (string.IsNullOrWhiteSpace(hexIdentifier) || hexIdentifier.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-'))
            throw new ArgumentException($"hexStringIdentifier '{hexIdentifier}' is not a plain identifier; refusing to use it as a folder name", nameof(hexIdentifier));
        return Path.Combine(temporaryDirectory, hexIdentifier);
    }

    /// <summary>model.mil (UTF-8 bytes, R09) and every blob at its MIL path minus <c>@model_path/</c>.</summary>
    public static IReadOnlyList<FolderFile> FolderFiles(AneProgramSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var files = new List<FolderFile> { new(MilFileName, source.MilBytes) };
        files.AddRange(source.Weights.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new FolderFile(AneProgramSource.RelativePath(kv.Key), kv.Value)));
        return files;
    }

    /// <summary>Files a delta patch rewrites: each changed weight file, plus <c>data</c> when the program has a single weight file (section 3).</summary>
    public static IReadOnlyList<FolderFile> PatchFiles(AneProgramSource original, IReadOnlyDictionary<string, byte[]> changed, bool dataFileExists)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(changed);
        var files = changed.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new FolderFile(AneProgramSource.RelativePath(kv.Key), kv.Value)).ToList();
        if (dataFileExists && original.Weights.Count == 1 && changed.Count == 1)
            files.Add(new FolderFile(CompiledDataFileName, changed.Values.Single()));
        return files;
    }

    /// <summary>Index arrays of step 8: 0..n-1 for the inputs and 0..m-1 for the outputs (surfaces already in R19/R03 order).</summary>
    public static (int[] Inputs, int[] Outputs) RequestIndices(int inputCount, int outputCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputCount);
        ArgumentOutOfRangeException.ThrowIfNegative(outputCount);
        if (inputCount > MaxRequestBuffers || outputCount > MaxRequestBuffers)
            throw new ArgumentException($"a request binds at most {MaxRequestBuffers} inputs and {MaxRequestBuffers} outputs; got {inputCount} and {outputCount}");
        return (Enumerable.Range(0, inputCount).ToArray(), Enumerable.Range(0, outputCount).ToArray());
    }

    /// <summary>Symbol indices must stay below 255 (the framework's request validation).</summary>
    public const int MaxRequestBuffers = 254;
}

/// <summary>
/// Reference counts of program folders. Programs with the same identity share one folder (the id is a hash of MIL
/// text and weight keys), and the new-descriptor delta variant reuses its donor's: the folder is deleted only when
/// the last program using it is released. Thread-safe.
/// </summary>
public sealed class SharedFolders
{
    private readonly Dictionary<string, int> _users = new(StringComparer.Ordinal);

    public void Acquire(string folder)
    {
        lock (_users) _users[folder] = _users.GetValueOrDefault(folder) + 1;
    }

    /// <summary>Drops one user; true when that was the last, so the caller may delete the folder.</summary>
    public bool Release(string folder)
    {
        lock (_users)
        {
            if (!_users.TryGetValue(folder, out var n))
                throw new InvalidOperationException($"folder '{folder}' released more times than acquired");
            if (n > 1)
            {
                _users[folder] = n - 1;
                return false;
            }
            _users.Remove(folder);
            return true;
        }
    }

    public int Users(string folder)
    {
        lock (_users) return _users.GetValueOrDefault(folder);
    }
}
