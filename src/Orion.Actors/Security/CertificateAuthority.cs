// The cluster's private CA: creates it (ca.crt + ca.key) and issues node certificates (NAME.pfx) that NodeIdentity
// loads for mutual TLS. Every file is written atomically and never over an existing one.
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orion.Actors.Security;

public static class CertificateAuthority
{
    public const string CertificateFile = "ca.crt";
    public const string KeyFile = "ca.key";

    // ECDSA P-256 rather than RSA 3072: the same security margin with 32-byte keys, much faster signing (every TLS
    // handshake signs), and both OpenSSL (Linux) and Apple's TLS stack support it in TLS 1.2 and 1.3.
    private static readonly ECCurve Curve = ECCurve.NamedCurves.nistP256;

    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    // The CA lives as long as the fleet is expected to; nodes are re-issued more often, so a stolen node key expires.
    private static readonly TimeSpan CaValidity = TimeSpan.FromDays(3653);
    private static readonly TimeSpan NodeValidity = TimeSpan.FromDays(731);

    // Certificates start slightly in the past so a Mac whose clock runs a little behind still accepts a fresh one.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    // RFC 5280's upper bound for a common name; NAME is also the certificate's CN.
    private const int MaxNameLength = 64;

    private const string BasicConstraintsOid = "2.5.29.19";

    /// <summary>Creates a new CA in <paramref name="dir"/> (created when missing); returns the paths written.</summary>
    public static IReadOnlyList<string> CreateCa(string dir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        var certPath = Path.GetFullPath(Path.Combine(dir, CertificateFile));
        var keyPath = Path.GetFullPath(Path.Combine(dir, KeyFile));
        foreach (var path in new[] { certPath, keyPath })
            if (File.Exists(path)) throw AlreadyExists(path, "a cluster has one CA; issue node certificates from it with `orion certs create-node`, or pick an empty folder for a new CA");
        Directory.CreateDirectory(Path.GetDirectoryName(certPath)!);

        using var key = ECDsa.Create(Curve);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName($"Orion cluster CA {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        using var ca = request.CreateSelfSigned(now - ClockSkew, now + CaValidity);

        // The key first: a crash between the two writes leaves a key without a certificate, which create-node reports,
        // never a certificate whose key is lost.
        WriteNew(keyPath, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()), secret: true);
        try
        {
            WriteNew(certPath, System.Text.Encoding.ASCII.GetBytes(ca.ExportCertificatePem()), secret: false);
        }
        catch
        {
            File.Delete(keyPath);
            throw;
        }
        return [certPath, keyPath];
    }

    /// <summary>
    /// Issues <c>DIR/NAME.pfx</c> (PKCS#12, empty password: the file's mode protects it, as for an SSH key) from the CA
    /// in <paramref name="dir"/>, for <paramref name="name"/> and <paramref name="hostNames"/>; returns its path.
    /// </summary>
    public static string CreateNode(string dir, string name, IReadOnlyList<string> hostNames)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(hostNames);
        CheckName(name);
        foreach (var host in hostNames) CheckHost(host);
        var pfxPath = Path.GetFullPath(Path.Combine(dir, name + ".pfx"));
        if (File.Exists(pfxPath)) throw AlreadyExists(pfxPath, "delete it first to re-issue the node's certificate, or pick another NAME");

        var (ca, caKey) = LoadAuthority(dir);
        using (ca)
        using (caKey)
        {
            var now = DateTimeOffset.UtcNow;
            if (ca.NotAfter.ToUniversalTime() <= now.UtcDateTime)
                throw new SecurityConfigException($"CA certificate '{Path.Combine(dir, CertificateFile)}' expired on {ca.NotAfter.ToUniversalTime():u}; expected a valid CA to issue node certificates (hint: create a new CA with `orion certs create-ca` and re-issue every node)");

            using var key = ECDsa.Create(Curve);
            var subject = new X500DistinguishedNameBuilder();
            subject.AddCommonName(name);
            var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
            // ECDSA keys only sign (ECDHE does the key exchange), so no keyEncipherment.
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
            // Every node is both: it accepts links (server) and opens them (client).
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth, ClientAuth], critical: false));
            request.CertificateExtensions.Add(SubjectAlternativeNames(name, hostNames));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));

            // Never outlive the CA: a chain is only as valid as its root.
            var notBefore = Max(now - ClockSkew, new DateTimeOffset(ca.NotBefore.ToUniversalTime()));
            var notAfter = Min(now + NodeValidity, new DateTimeOffset(ca.NotAfter.ToUniversalTime()));
            using var signed = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore, notAfter, RandomSerial());
            using var withKey = signed.CopyWithPrivateKey(key);
            using var caPublic = X509CertificateLoader.LoadCertificate(ca.RawData);
            // The default PKCS#12 encryption (3DES, SHA-1 MAC): with an empty password no cipher protects the key
            // anyway (the file mode does), and every tool reads it, openssl and the macOS Keychain included.
            var pfx = new X509Certificate2Collection { withKey, caPublic }.Export(X509ContentType.Pkcs12, "")
                ?? throw new CryptographicException($"exporting '{pfxPath}' as PKCS#12 produced nothing");
            WriteNew(pfxPath, pfx, secret: true);
            return pfxPath;
        }
    }

    /// <summary>Reads a PEM certificate file with errors that name it (shared with <see cref="NodeIdentity"/>).</summary>
    internal static X509Certificate2 LoadCertificatePem(string path, string what, string hint)
    {
        string text = ReadText(path, what, hint);
        try
        {
            return X509Certificate2.CreateFromPem(text);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new SecurityConfigException($"{what} '{path}' is not a PEM certificate ({e.Message}); expected a file starting with '-----BEGIN CERTIFICATE-----' (hint: {hint})", e);
        }
    }

    private static (X509Certificate2 Certificate, ECDsa Key) LoadAuthority(string dir)
    {
        var certPath = Path.Combine(dir, CertificateFile);
        var keyPath = Path.Combine(dir, KeyFile);
        const string hint = "create the CA with `orion certs create-ca DIR` first, or pass the folder that holds ca.crt and ca.key";
        var ca = LoadCertificatePem(certPath, "CA certificate", hint);
        ECDsa? key = null;
        try
        {
            if (ca.Extensions[BasicConstraintsOid] is not X509BasicConstraintsExtension { CertificateAuthority: true })
                throw new SecurityConfigException($"CA certificate '{certPath}' ({ca.Subject}) is not a CA certificate; expected one with BasicConstraints CA:TRUE (hint: {hint})");
            var keyText = ReadText(keyPath, "CA private key", hint);
            key = ECDsa.Create();
            try
            {
                key.ImportFromPem(keyText);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                throw new SecurityConfigException($"CA private key '{keyPath}' is not a PEM ECDSA private key ({e.Message}); expected the PKCS#8 key that `orion certs create-ca` writes (hint: {hint})", e);
            }
            using var caPublicKey = ca.GetECDsaPublicKey();
            if (caPublicKey is null || !caPublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
                throw new SecurityConfigException($"CA private key '{keyPath}' does not match CA certificate '{certPath}' ({ca.Subject}); expected the key written with that certificate (hint: the two files come from different `orion certs create-ca` runs; restore the matching pair)");
            return (ca, key);
        }
        catch
        {
            key?.Dispose();
            ca.Dispose();
            throw;
        }
    }

    private static string ReadText(string path, string what, string hint)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SecurityConfigException($"{what} '{path}' does not exist; expected an existing file (hint: {hint})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SecurityConfigException($"{what} '{path}' cannot be read ({e.Message}); expected a readable file (hint: check its permissions)", e);
        }
    }

    private static void CheckName(string name)
    {
        bool safe = name.Length is > 0 and <= MaxNameLength && char.IsAsciiLetterOrDigit(name[0])
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
        if (!safe)
            throw new ArgumentException($"node name '{name}' is not a safe file name; expected 1-{MaxNameLength} ASCII letters, digits, '.', '-' or '_', starting with a letter or digit (hint: use the Mac's short host name, e.g. mac-studio-1)", nameof(name));
    }

    private static void CheckHost(string host)
    {
        if (string.IsNullOrWhiteSpace(host) || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '\\' or ','))
            throw new ArgumentException($"host name '{host}' is not a host name or IP address; expected e.g. mac-studio.local or 192.168.1.20 (hint: pass one --host per name)", nameof(host));
    }

    private static X509Extension SubjectAlternativeNames(string name, IReadOnlyList<string> hostNames)
    {
        var san = new SubjectAlternativeNameBuilder();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { name };
        san.AddDnsName(name);
        foreach (var host in hostNames)
        {
            if (!seen.Add(host)) continue;
            if (IPAddress.TryParse(host, out var ip)) san.AddIpAddress(ip);
            else san.AddDnsName(host);
        }
        return san.Build();
    }

    /// <summary>16 random bytes, positive and without a leading zero byte, as RFC 5280 asks of serial numbers.</summary>
    private static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }

    private static SecurityConfigException AlreadyExists(string path, string hint) =>
        new($"'{path}' already exists; expected no file there, it is never overwritten (hint: {hint})");

    /// <summary>
    /// Temp file (mode 0600 when <paramref name="secret"/>, from its creation, so the key is never readable by others)
    /// + flush to disk + rename that fails if <paramref name="path"/> appeared meanwhile: never a half-written file,
    /// never a replaced one.
    /// </summary>
    private static void WriteNew(string path, ReadOnlySpan<byte> data, bool secret)
    {
        var tmp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (secret && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(tmp, options))
            {
                stream.Write(data);
                stream.Flush(flushToDisk: true);
            }
            try
            {
                File.Move(tmp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                throw AlreadyExists(path, "another process wrote it at the same time; check which one is wanted");
            }
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
