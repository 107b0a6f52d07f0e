// A program as handed to a device: MIL text plus the weight files its BLOBFILE constants name (ane-reference.md section 2 step 1).
using System.Security.Cryptography;
using System.Text;
using Orion.Engine.Mil;
using Orion.Engine.IO;

namespace Orion.Engine.Ane;

/// <summary>
/// MIL text and weight files keyed by the exact path string used in the MIL (e.g. <c>@model_path/weights/wq.bin</c>).
/// A weight-free program has an empty dictionary, never null (R11).
/// </summary>
public sealed class AneProgramSource
{
    public const string ModelPathPrefix = "@model_path/";

    public AneProgramSource(string milText, IReadOnlyDictionary<string, byte[]> weights)
    {
        ArgumentNullException.ThrowIfNull(milText);
        if (weights is null)
            throw new ArgumentNullException(nameof(weights), "R11: the weights dictionary must be empty, not null, for a weight-free program");
        MilText = milText;
        Weights = weights;
    }

    public string MilText { get; }
    public IReadOnlyDictionary<string, byte[]> Weights { get; }

    /// <summary>MIL as the UTF-8 bytes the private API needs (R09: an NSString crashes).</summary>
    public byte[] MilBytes => Encoding.UTF8.GetBytes(MilText);

    /// <summary>
    /// The program identity: same MIL text and same weight keys give the same id, whatever the weight contents
    /// (as the ANE's hexStringIdentifier, section 2 step 3). Lower-case hex.
    /// </summary>
    public string Identity
    {
        get
        {
            using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            h.AppendData(MilBytes);
            foreach (var key in Weights.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                h.AppendData([0]);
                h.AppendData(Encoding.UTF8.GetBytes(key));
            }
            return Convert.ToHexStringLower(h.GetHashAndReset());
        }
    }

    /// <summary>The folder-relative path of a weight key: <c>@model_path/weights/w.bin</c> -> <c>weights/w.bin</c>.</summary>
    public static string RelativePath(string weightKey)
    {
        var rel = weightKey.StartsWith(ModelPathPrefix, StringComparison.Ordinal) ? weightKey[ModelPathPrefix.Length..] : weightKey;
        rel = rel.Replace('\\', '/');
        if (rel.Length == 0 || rel.StartsWith('/') || rel.Split('/').Any(p => p is ".." or ""))
            throw new ArgumentException($"weight path '{weightKey}' must stay inside the program folder (expected e.g. @model_path/weights/w.bin)", nameof(weightKey));
        return rel;
    }

    /// <summary>Every BLOBFILE path a parsed program names, in order of first appearance.</summary>
    public static IReadOnlyList<string> BlobPaths(MilProgram program) =>
        program.Functions.SelectMany(f => f.Statements).SelectMany(s => s.Arguments.Concat(s.Attributes))
            .Select(a => a.Value).OfType<MilBlobFile>().Select(b => b.Path).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Reads <c>model.mil</c> and every weight file it references from a program folder.</summary>
    public static AneProgramSource FromFolder(string directory)
    {
        var milPath = Path.Combine(directory, "model.mil");
        if (File.Exists(directory))
            throw new FileNotFoundException($"program folder '{directory}' is a file, expected a folder holding model.mil and its weight files (pass the folder `orion compile` wrote, not a file inside it)");
        if (!Directory.Exists(directory))
            throw new FileNotFoundException($"program folder '{directory}' does not exist (expected a folder holding model.mil and its weight files, as written by `orion compile`)");
        if (!File.Exists(milPath))
            throw new FileNotFoundException($"'{milPath}' not found: a program folder holds model.mil and the weight files its BLOBFILE constants name");
        var text = DecodeMil(File.ReadAllBytes(milPath), milPath);
        var weights = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in BlobPaths(MilParser.Parse(text)))
        {
            var file = Path.Combine(directory, RelativePath(key));
            if (!File.Exists(file))
                throw new FileNotFoundException($"weight file '{file}' named by BLOBFILE path \"{key}\" in model.mil does not exist (paths are relative to the program folder after removing '{ModelPathPrefix}')");
            var bytes = File.ReadAllBytes(file);
            // Shorter than header + one metadata block can never be a blob file; say so here rather than as a bad offset (R08).
            if (bytes.Length < BlobFile.HeaderSize + BlobFile.MetadataSize)
                throw new FormatException($"weight file '{file}' is {bytes.Length} bytes, expected at least {BlobFile.HeaderSize + BlobFile.MetadataSize} (a {BlobFile.HeaderSize}-byte blob file header plus a {BlobFile.MetadataSize}-byte metadata block); the file is truncated or not a Core ML blob file, so rewrite it (e.g. with `orion compile`)");
            weights[key] = bytes;
        }
        return new AneProgramSource(text, weights);
    }

    /// <summary>MIL travels as UTF-8 bytes (R09); text that is not valid UTF-8 is rejected rather than silently repaired.</summary>
    public static string DecodeMil(byte[] bytes, string fileName)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new Restrictions.AneRestrictionException(new Restrictions.AneDiagnostic("R09",
                $"{fileName}: MIL text is not valid UTF-8 (byte offset {e.Index}); the ANE takes MIL as UTF-8 bytes (NSData), so re-save the file as UTF-8"));
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes model.mil and the weight files into <paramref name="directory"/> (the layout the ANE compiler reads).</summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllBytes(Path.Combine(directory, "model.mil"), MilBytes);
        foreach (var (key, data) in Weights)
        {
            var file = Path.Combine(directory, RelativePath(key));
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            AtomicFile.WriteAllBytes(file, data);
        }
    }

}
