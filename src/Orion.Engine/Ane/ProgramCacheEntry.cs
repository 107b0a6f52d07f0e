// The entry.json of one program-cache entry: identity, device fingerprint and the full key binding them (ProgramCache).
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Orion.Engine.Ane;

/// <summary>
/// Metadata of a cache entry. <see cref="Key"/> = sha256(identity + fingerprint string), so an entry.json edited or
/// copied under another identity or fingerprint no longer validates.
/// </summary>
internal sealed record ProgramCacheEntry(string Identity, DeviceFingerprint Fingerprint, string Key, DateTimeOffset Created)
{
    public const string FileName = "entry.json";
    private const int FormatVersion = 1;

    public static string FullKey(string identity, DeviceFingerprint fingerprint) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity + "\n" + fingerprint)));

    public static ProgramCacheEntry Create(string identity, DeviceFingerprint fingerprint) =>
        new(identity, fingerprint, FullKey(identity, fingerprint), DateTimeOffset.UtcNow);

    public void WriteTo(string directory)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("format", FormatVersion);
            w.WriteString("identity", Identity);
            w.WriteString("key", Key);
            w.WriteString("deviceKind", Fingerprint.DeviceKind);
            w.WriteString("chip", Fingerprint.Chip);
            w.WriteString("osBuild", Fingerprint.OsBuild);
            w.WriteString("compilerVersion", Fingerprint.CompilerVersion);
            w.WriteString("created", Created);
            w.WriteEndObject();
        }
        AtomicFile.WriteAllBytes(Path.Combine(directory, FileName), ms.ToArray());
    }

    /// <summary>
    /// Reads and validates <c>entry.json</c> in <paramref name="directory"/>. Returns null with a reason when it is
    /// missing, unparsable, incomplete, of another identity, or its key does not match its own fields.
    /// </summary>
    public static ProgramCacheEntry? TryRead(string directory, string expectedIdentity, out string problem)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            if (!File.Exists(path))
            {
                problem = $"{path} is missing (a half-written entry)";
                return null;
            }
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            string? Str(string name) =>
                root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var identity = Str("identity");
            var key = Str("key");
            var kind = Str("deviceKind");
            var chip = Str("chip");
            var os = Str("osBuild");
            var compiler = Str("compilerVersion");
            if (identity is null || key is null || kind is null || chip is null || os is null || compiler is null
                || !root.TryGetProperty("created", out var createdEl) || !createdEl.TryGetDateTimeOffset(out var created))
            {
                problem = $"{path} lacks one of identity, key, deviceKind, chip, osBuild, compilerVersion, created";
                return null;
            }
            if (identity != expectedIdentity)
            {
                problem = $"{path} names identity {identity}, expected {expectedIdentity} (its folder name)";
                return null;
            }
            var fp = new DeviceFingerprint(kind, chip, os, compiler);
            if (key != FullKey(identity, fp))
            {
                problem = $"{path} key {key} does not match sha256(identity + fingerprint {fp})";
                return null;
            }
            problem = "";
            return new ProgramCacheEntry(identity, fp, key, created);
        }
        catch (JsonException ex)
        {
            problem = $"{path} is not valid JSON: {ex.Message}";
            return null;
        }
        catch (IOException ex)
        {
            problem = $"{path} cannot be read: {ex.Message}";
            return null;
        }
    }
}
