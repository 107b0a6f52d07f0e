// A node's mutual-TLS identity: its certificate and key (NAME.pfx) and the cluster CA (ca.crt) that every peer must
// chain to. Trust is pinned to that one CA; the OS trust store is never consulted, so no public CA can vouch for a node.
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orion.Actors.Security;

public sealed class NodeIdentity : IDisposable
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private readonly SslStreamCertificateContext _context;

    private NodeIdentity(X509Certificate2 certificate, X509Certificate2 authority)
    {
        Certificate = certificate;
        Authority = authority;
        Name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        // Built once, not per connection; offline: the chain is the CA we hold, nothing to download.
        _context = SslStreamCertificateContext.Create(certificate, additionalCertificates: [authority], offline: true);
    }

    /// <summary>This node's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The cluster CA: the only root a peer's certificate may chain to.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The certificate's common name: the NAME it was issued for.</summary>
    public string Name { get; }

    // Linux (OpenSSL) can use a key that lives only in memory, so nothing is written; macOS's TLS stack needs the key in
    // a keychain, which the default flags give (a temporary one, deleted with the certificate), as does Windows'.
    private static X509KeyStorageFlags KeyStorage => OperatingSystem.IsLinux() ? X509KeyStorageFlags.EphemeralKeySet : X509KeyStorageFlags.DefaultKeySet;

    /// <summary>Loads and checks <paramref name="certPfx"/> (issued by <c>orion certs create-node</c>) against the CA
    /// in <paramref name="caCrt"/>; every problem is a <see cref="SecurityConfigException"/> naming the file.</summary>
    public static NodeIdentity Load(string certPfx, string caCrt)
    {
        ArgumentNullException.ThrowIfNull(certPfx);
        ArgumentNullException.ThrowIfNull(caCrt);
        const string caHint = "pass the ca.crt written by `orion certs create-ca`, the same file on every node";
        var authority = CertificateAuthority.LoadCertificatePem(caCrt, "CA certificate", caHint);
        X509Certificate2? certificate = null;
        try
        {
            var caNow = TimeProblem(authority);
            if (caNow is not null)
                throw new SecurityConfigException($"CA certificate '{caCrt}' ({authority.Subject}) {caNow}; expected a CA valid now (hint: check this Mac's clock, or create a new CA with `orion certs create-ca` and re-issue every node)");
            certificate = LoadPkcs12(certPfx);
            var hint = $"issue one with `orion certs create-node` from the CA in '{Path.GetDirectoryName(Path.GetFullPath(caCrt))}'";
            if (!certificate.HasPrivateKey)
                throw new SecurityConfigException($"node certificate '{certPfx}' ({certificate.Subject}) holds no private key; expected a PKCS#12 file with the node's key (hint: {hint})");
            var problem = Problem(certificate, authority);
            if (problem is not null)
                throw new SecurityConfigException($"node certificate '{certPfx}' ({certificate.Subject}) {problem}; expected a certificate issued by CA '{caCrt}' ({authority.Subject}) and valid now (hint: {hint})");
            return new NodeIdentity(certificate, authority);
        }
        catch
        {
            certificate?.Dispose();
            authority.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether <paramref name="peer"/> may join: it is issued by this node's CA (directly, checked by the root's
    /// thumbprint, never the OS trust store), valid now, and usable as both TLS client and server. Host names are not
    /// checked: the CA issues certificates only to nodes, so holding one is the proof.
    /// </summary>
    public bool Validate(X509Certificate? peer, out string reason)
    {
        if (peer is null)
        {
            reason = "presented no certificate";
            return false;
        }
        var certificate = peer as X509Certificate2;
        var owned = certificate is null ? X509CertificateLoader.LoadCertificate(peer.GetRawCertData()) : null;
        try
        {
            certificate ??= owned!;
            var problem = Problem(certificate, Authority);
            reason = problem is null ? "" : $"certificate '{certificate.Subject}' {problem}";
            return problem is null;
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>
    /// For accepting links: this node's certificate (and the CA, as its chain), a client certificate required and
    /// checked by <see cref="Validate"/>; <paramref name="refused"/> hears why a peer was turned away.
    /// </summary>
    public SslServerAuthenticationOptions ServerOptions(Action<string>? refused = null) => new()
    {
        ServerCertificateContext = _context,
        ClientCertificateRequired = true,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        // The OS policy errors are ignored on purpose: they judge the peer against the OS trust store.
        RemoteCertificateValidationCallback = (_, certificate, _, _) => Accept(certificate, refused),
    };

    /// <summary>
    /// For opening links: this node's certificate as the client certificate, the server checked by
    /// <see cref="Validate"/>. <paramref name="targetHost"/> is only sent as SNI; it is not matched against the
    /// certificate, because trust is pinned to the CA rather than to names.
    /// </summary>
    public SslClientAuthenticationOptions ClientOptions(string targetHost, Action<string>? refused = null) => new()
    {
        TargetHost = targetHost,
        ClientCertificateContext = _context,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, _, _) => Accept(certificate, refused),
    };

    public void Dispose()
    {
        Certificate.Dispose();
        Authority.Dispose();
    }

    private bool Accept(X509Certificate? certificate, Action<string>? refused)
    {
        if (Validate(certificate, out var reason)) return true;
        refused?.Invoke(reason);
        return false;
    }

    private static X509Certificate2 LoadPkcs12(string path)
    {
        const string hint = "issue the node's certificate with `orion certs create-node DIR NAME` and pass DIR/NAME.pfx";
        if (!File.Exists(path))
            throw new SecurityConfigException($"node certificate '{path}' does not exist; expected a PKCS#12 file (hint: {hint})");
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password: "", KeyStorage);
        }
        catch (CryptographicException e)
        {
            throw new SecurityConfigException($"node certificate '{path}' is not a readable PKCS#12 file with an empty password ({e.Message}); expected the NAME.pfx that `orion certs create-node` writes (hint: {hint})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SecurityConfigException($"node certificate '{path}' cannot be read ({e.Message}); expected a readable file (hint: check its permissions)", e);
        }
    }

    /// <summary>Null when <paramref name="certificate"/> is a valid node certificate of <paramref name="authority"/>,
    /// otherwise what is wrong, as a phrase that follows the certificate's name.</summary>
    private static string? Problem(X509Certificate2 certificate, X509Certificate2 authority)
    {
        var trust = TrustProblem(certificate, authority);
        if (trust is not null) return trust;
        var time = TimeProblem(certificate);
        if (time is not null) return time;
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<Oid>()).Select(o => o.Value).ToHashSet();
        var missing = new[] { (ServerAuthOid, "serverAuth"), (ClientAuthOid, "clientAuth") }.Where(u => !usages.Contains(u.Item1)).Select(u => u.Item2).ToList();
        return missing.Count == 0 ? null : $"lacks the {string.Join(" and ", missing)} extended key usage a node needs";
    }

    private static string? TimeProblem(X509Certificate2 certificate)
    {
        var now = DateTime.UtcNow;
        if (now < certificate.NotBefore.ToUniversalTime()) return $"is not valid until {certificate.NotBefore.ToUniversalTime():u} (now {now:u})";
        if (now > certificate.NotAfter.ToUniversalTime()) return $"expired on {certificate.NotAfter.ToUniversalTime():u}";
        return null;
    }

    private static string? TrustProblem(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        // Time is checked separately, for a clearer reason than a chain status.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        try
        {
            var notTrusted = $"is not issued by this cluster's CA '{authority.Subject}' (its issuer is '{certificate.Issuer}')";
            if (!chain.Build(certificate))
                return $"{notTrusted}: {string.Join(", ", chain.ChainStatus.Select(s => s.Status))}";
            // Exactly leaf + this CA: no other root, no intermediate, and not the CA itself presented as a node.
            var elements = chain.ChainElements;
            var root = elements[^1].Certificate;
            if (elements.Count != 2 || !root.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(authority.GetCertHash(HashAlgorithmName.SHA256)))
                return notTrusted;
            return null;
        }
        finally
        {
            // The chain's elements are its own copies; dispose them but never the caller's certificates.
            foreach (var element in chain.ChainElements)
                if (!ReferenceEquals(element.Certificate, certificate) && !ReferenceEquals(element.Certificate, authority)) element.Certificate.Dispose();
        }
    }
}
