// TLS for links: SslStream over the plain socket stream, an ephemeral server certificate, and the channel binding hash.
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orion.Actors.Remote;

/// <summary>The server's certificate, its SslStream context (built once, not per connection) and its channel binding.</summary>
internal sealed class ServerCredentials(X509Certificate2 certificate, bool owned) : IDisposable
{
    public X509Certificate2 Certificate { get; } = certificate;
    public SslStreamCertificateContext Context { get; } = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
    public byte[] ChannelBinding { get; } = LinkTls.ChannelBinding(certificate);

    public void Dispose()
    {
        if (owned) Certificate.Dispose();
    }
}

internal static class LinkTls
{
    /// <summary>A self-signed ECDSA P-256 certificate for this process only. Clients do not check it against any CA:
    /// the cluster secret authenticates the server, and the proof covers this certificate's hash.</summary>
    public static X509Certificate2 CreateEphemeralCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=orion-link", key, HashAlgorithmName.SHA256);
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        // Round-trip through PKCS#12: on macOS and Windows the OS TLS stack cannot use a key that exists only in
        // process memory (CreateSelfSigned's ephemeral key), on Linux it is harmless.
        return X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pkcs12), password: null);
    }

    public static byte[] ChannelBinding(X509Certificate certificate) => SHA256.HashData(certificate.GetRawCertData());

    public static async Task<(SslStream Stream, byte[] ChannelBinding)> AuthenticateClientAsync(Stream network, string host, CancellationToken ct)
    {
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                // Any certificate: trust comes from the secret-keyed proofs, which bind this certificate's hash.
                RemoteCertificateValidationCallback = static (_, certificate, _, _) => certificate is not null,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, ct).ConfigureAwait(false);
            var certificate = ssl.RemoteCertificate ?? throw new AuthenticationException("the server presented no TLS certificate");
            return (ssl, ChannelBinding(certificate));
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static async Task<SslStream> AuthenticateServerAsync(Stream network, ServerCredentials credentials, CancellationToken ct)
    {
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = credentials.Context,
                ClientCertificateRequired = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, ct).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
