// Node identities for mutual TLS: what CertificateAuthority issues, what NodeIdentity loads and refuses, and real
// SslStream handshakes over loopback between nodes of one CA, of two CAs, and without a client certificate.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orion.Actors.Security;
using Orion.TestKit.Cluster;
using Xunit;

namespace Orion.Actors.Tests.Security;

public sealed class NodeIdentityTests : IDisposable
{
    /// <summary>Generous: a slow shared machine must never flake. It only bounds a hang; nothing waits on time.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempFolder _tmp = new("orion-certs");

    public void Dispose() => _tmp.Dispose();

    private string Ca(string folder = "ca")
    {
        var dir = _tmp.At(folder);
        CertificateAuthority.CreateCa(dir);
        return dir;
    }

    private static NodeIdentity Node(string caDir, string name, params string[] hosts) =>
        NodeIdentity.Load(CertificateAuthority.CreateNode(caDir, name, hosts), Path.Combine(caDir, CertificateAuthority.CertificateFile));

    /// <summary>A leaf signed by the CA in <paramref name="caDir"/> with whatever validity and usages a test needs.</summary>
    private static X509Certificate2 Issue(string caDir, string name, DateTimeOffset notBefore, DateTimeOffset notAfter, bool withEku = true)
    {
        using var ca = X509Certificate2.CreateFromPemFile(Path.Combine(caDir, "ca.crt"), Path.Combine(caDir, "ca.key"));
        using var caKey = ca.GetECDsaPrivateKey()!;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        if (withEku) request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var signed = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore, notAfter, [0x42, 1, 2, 3]);
        return signed.CopyWithPrivateKey(key);
    }

    private static string WritePfx(string path, X509Certificate2 certificate, bool withKey = true)
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        File.WriteAllBytes(path, (withKey ? certificate : publicOnly).Export(X509ContentType.Pkcs12, "")!);
        return path;
    }

    [Fact]
    public void CreateCa_NewFolder_PemFilesWithCaExtensionsAndPrivateKeyFile()
    {
        var written = CertificateAuthority.CreateCa(Path.Combine(_tmp.Path, "new", "ca"));

        Assert.Equal([Path.Combine(_tmp.Path, "new", "ca", "ca.crt"), Path.Combine(_tmp.Path, "new", "ca", "ca.key")], written);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(written[0]), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(written[1]), StringComparison.Ordinal);
        using var ca = X509Certificate2.CreateFromPemFile(written[0], written[1]);
        Assert.Matches("^CN=Orion cluster CA [0-9a-f]{8}$", ca.Subject);
        var constraints = Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.CertificateAuthority && constraints.Critical);
        var usage = Assert.Single(ca.Extensions.OfType<X509KeyUsageExtension>());
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.True(usage.Critical);
        Assert.Single(ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.InRange((ca.NotAfter - ca.NotBefore).TotalDays, 3650, 3660);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(written[1]));
        Assert.Equal(["ca.crt", "ca.key"], Directory.GetFiles(Path.Combine(_tmp.Path, "new", "ca")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void CreateCa_ExistingCa_RefusesNamingTheFileAndKeepsIt()
    {
        var dir = Ca();
        var before = File.ReadAllText(Path.Combine(dir, "ca.key"));

        var e = Assert.Throws<SecurityConfigException>(() => CertificateAuthority.CreateCa(dir));

        Assert.Contains(Path.Combine(dir, "ca.crt"), e.Message, StringComparison.Ordinal);
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(dir, "ca.key")));
    }

    [Fact]
    public void CreateNode_WithHosts_LeafHasSansUsagesAndTheCaInItsChain()
    {
        var dir = Ca();
        var pfx = CertificateAuthority.CreateNode(dir, "mac-1", ["mac-1.local", "192.168.1.20", "::1", "mac-1"]);

        Assert.Equal(Path.Combine(dir, "mac-1.pfx"), pfx);
        var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(pfx, "");
        try
        {
            var leaf = Assert.Single(all, c => c.HasPrivateKey);
            using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(dir, "ca.crt")));
            Assert.Contains(all, c => c.Thumbprint == ca.Thumbprint && !c.HasPrivateKey);
            Assert.Equal("CN=mac-1", leaf.Subject);
            var san = Assert.Single(leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>());
            Assert.Equal(["mac-1", "mac-1.local"], san.EnumerateDnsNames());
            Assert.Equal([IPAddress.Parse("192.168.1.20"), IPAddress.IPv6Loopback], san.EnumerateIPAddresses());
            var eku = Assert.Single(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>());
            Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
            Assert.Equal(X509KeyUsageFlags.DigitalSignature, Assert.Single(leaf.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
            Assert.False(Assert.Single(leaf.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
            var aki = Assert.Single(leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
            Assert.Equal(Assert.Single(ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>()).SubjectKeyIdentifier, Convert.ToHexString(aki.KeyIdentifier!.Value.Span));
            Assert.InRange((leaf.NotAfter - leaf.NotBefore).TotalDays, 730, 733);
            Assert.Equal(16, leaf.SerialNumberBytes.Length);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pfx));
        }
        finally
        {
            foreach (var c in all) c.Dispose();
        }
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("")]
    [InlineData("mac studio")]
    public void CreateNode_UnsafeName_ArgumentExceptionNamingIt(string name)
    {
        var dir = Ca();

        var e = Assert.Throws<ArgumentException>(() => CertificateAuthority.CreateNode(dir, name, []));

        Assert.Contains($"'{name}'", e.Message, StringComparison.Ordinal);
        Assert.Equal(["ca.crt", "ca.key"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void CreateNode_KeyOfAnotherCa_RefusedAsNotMatching()
    {
        var dir = Ca();
        var other = Ca("other");
        File.Copy(Path.Combine(other, "ca.key"), Path.Combine(dir, "ca.key"), overwrite: true);

        var e = Assert.Throws<SecurityConfigException>(() => CertificateAuthority.CreateNode(dir, "mac-1", []));

        Assert.Contains(Path.Combine(dir, "ca.key"), e.Message, StringComparison.Ordinal);
        Assert.Contains("does not match", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "mac-1.pfx")));
    }

    [Fact]
    public void Validate_TwoNodesOfOneCa_EachAcceptsTheOther()
    {
        var dir = Ca();
        using var a = Node(dir, "mac-a");
        using var b = Node(dir, "mac-b");

        Assert.Equal("mac-a", a.Name);
        Assert.True(a.Validate(b.Certificate, out var reasonA), reasonA);
        Assert.True(b.Validate(a.Certificate, out var reasonB), reasonB);
        Assert.Equal("", reasonA);
    }

    [Fact]
    public void Validate_NodeOfAnotherCa_RefusedWithReason()
    {
        using var ours = Node(Ca(), "mac-a");
        using var theirs = Node(Ca("other"), "mac-x");

        Assert.False(ours.Validate(theirs.Certificate, out var reason));

        Assert.Contains("CN=mac-x", reason, StringComparison.Ordinal);
        Assert.Contains("not issued by this cluster's CA", reason, StringComparison.Ordinal);
        Assert.Contains(ours.Authority.Subject, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TheCaItself_Refused()
    {
        using var node = Node(Ca(), "mac-a");

        Assert.False(node.Validate(node.Authority, out var reason));
        Assert.NotEqual("", reason);
    }

    [Fact]
    public void Validate_NullPeer_RefusedPresentedNoCertificate()
    {
        using var node = Node(Ca(), "mac-a");

        Assert.False(node.Validate(null, out var reason));
        Assert.Equal("presented no certificate", reason);
    }

    [Fact]
    public void Validate_ExpiredPeer_RefusedAsExpired()
    {
        var dir = Ca();
        using var node = Node(dir, "mac-a");
        var now = DateTimeOffset.UtcNow;
        using var expired = Issue(dir, "mac-old", now.AddMinutes(-50), now.AddMinutes(-10));

        Assert.False(node.Validate(expired, out var reason));
        Assert.Contains("expired on", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PeerWithoutTlsUsages_RefusedNamingThem()
    {
        var dir = Ca();
        using var node = Node(dir, "mac-a");
        var now = DateTimeOffset.UtcNow;
        using var bare = Issue(dir, "mac-bare", now.AddMinutes(-10), now.AddDays(1), withEku: false);

        Assert.False(node.Validate(bare, out var reason));
        Assert.Contains("serverAuth and clientAuth", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PfxWithoutKey_SecurityConfigExceptionNamingTheFile()
    {
        var dir = Ca();
        var now = DateTimeOffset.UtcNow;
        using var leaf = Issue(dir, "mac-a", now.AddMinutes(-10), now.AddDays(1));
        var pfx = WritePfx(_tmp.At("nokey.pfx"), leaf, withKey: false);

        var e = Assert.Throws<SecurityConfigException>(() => NodeIdentity.Load(pfx, Path.Combine(dir, "ca.crt")));

        Assert.Contains(pfx, e.Message, StringComparison.Ordinal);
        Assert.Contains("no private key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptPfx_SecurityConfigExceptionNamingTheFile()
    {
        var dir = Ca();
        var pfx = CertificateAuthority.CreateNode(dir, "mac-a", []);
        var bytes = File.ReadAllBytes(pfx);
        File.WriteAllBytes(pfx, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<SecurityConfigException>(() => NodeIdentity.Load(pfx, Path.Combine(dir, "ca.crt")));

        Assert.Contains(pfx, e.Message, StringComparison.Ordinal);
        Assert.Contains("not a readable PKCS#12 file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingPfx_SecurityConfigExceptionNamingTheFile()
    {
        var dir = Ca();
        var pfx = Path.Combine(dir, "nobody.pfx");

        var e = Assert.Throws<SecurityConfigException>(() => NodeIdentity.Load(pfx, Path.Combine(dir, "ca.crt")));

        Assert.Contains(pfx, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingOrCorruptCa_SecurityConfigExceptionNamingTheFile()
    {
        var dir = Ca();
        var pfx = CertificateAuthority.CreateNode(dir, "mac-a", []);
        var missing = Path.Combine(_tmp.Path, "nowhere", "ca.crt");
        var corrupt = _tmp.At("corrupt.crt");
        File.WriteAllText(corrupt, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        var e1 = Assert.Throws<SecurityConfigException>(() => NodeIdentity.Load(pfx, missing));
        var e2 = Assert.Throws<SecurityConfigException>(() => NodeIdentity.Load(pfx, corrupt));

        Assert.Contains(missing, e1.Message, StringComparison.Ordinal);
        Assert.Contains(corrupt, e2.Message, StringComparison.Ordinal);
        Assert.Contains("not a PEM certificate", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NodeOfAnotherCa_SecurityConfigExceptionNamingBoth()
    {
        var dir = Ca();
        var pfx = CertificateAuthority.CreateNode(Ca("other"), "mac-x", []);

        var e = Assert.Throws<SecurityConfigException>(() => NodeIdentity.Load(pfx, Path.Combine(dir, "ca.crt")));

        Assert.Contains(pfx, e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(dir, "ca.crt"), e.Message, StringComparison.Ordinal);
        Assert.Contains("not issued by this cluster's CA", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExpiredNode_SecurityConfigExceptionSaysExpired()
    {
        var dir = Ca();
        var now = DateTimeOffset.UtcNow;
        using var expired = Issue(dir, "mac-old", now.AddMinutes(-50), now.AddMinutes(-10));
        var pfx = WritePfx(_tmp.At("old.pfx"), expired);

        var e = Assert.Throws<SecurityConfigException>(() => NodeIdentity.Load(pfx, Path.Combine(dir, "ca.crt")));

        Assert.Contains(pfx, e.Message, StringComparison.Ordinal);
        Assert.Contains("expired on", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handshake_TwoNodesOfOneCa_SucceedsBothWays()
    {
        var dir = Ca();
        using var server = Node(dir, "mac-a");
        using var client = Node(dir, "mac-b");
        var refusals = new List<string>();

        var (serverError, clientError, seenByServer, seenByClient) =
            await Handshake(server.ServerOptions(refusals.Add), client.ClientOptions("mac-a", refusals.Add));

        Assert.Null(serverError);
        Assert.Null(clientError);
        Assert.Empty(refusals);
        Assert.Equal("CN=mac-b", seenByServer);
        Assert.Equal("CN=mac-a", seenByClient);
    }

    [Fact]
    public async Task Handshake_ClientOfAnotherCa_FailsWithAuthenticationException()
    {
        using var server = Node(Ca(), "mac-a");
        using var stranger = Node(Ca("other"), "mac-x");
        var refusals = new List<string>();

        var (serverError, clientError, _, _) = await Handshake(server.ServerOptions(refusals.Add), stranger.ClientOptions("mac-a"));

        Assert.True(serverError is AuthenticationException || clientError is AuthenticationException, $"server: {serverError}; client: {clientError}");
        Assert.All(refusals, r => Assert.Contains("CN=mac-x", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handshake_ClientWithoutCertificate_FailsWithAuthenticationException()
    {
        var dir = Ca();
        using var server = Node(dir, "mac-a");
        using var client = Node(dir, "mac-b");
        var anonymous = client.ClientOptions("mac-a");
        anonymous.ClientCertificateContext = null;
        var refusals = new List<string>();

        var (serverError, clientError, _, _) = await Handshake(server.ServerOptions(refusals.Add), anonymous);

        Assert.True(serverError is AuthenticationException || clientError is AuthenticationException, $"server: {serverError}; client: {clientError}");
        Assert.Equal(["presented no certificate"], refusals);
    }

    /// <summary>
    /// Both sides of a TLS handshake over a loopback socket, then one byte from server to client: with TLS 1.3 the
    /// client may finish its handshake before the server has judged the client certificate, so only the byte proves
    /// both accepted. A side that fails closes its socket, so the other never waits for it.
    /// </summary>
    private static async Task<(Exception? Server, Exception? Client, string? SeenByServer, string? SeenByClient)> Handshake(
        SslServerAuthenticationOptions serverOptions, SslClientAuthenticationOptions clientOptions)
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var clientSocket = new TcpClient();
        var accept = listener.AcceptTcpClientAsync(cts.Token).AsTask();
        await clientSocket.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, cts.Token);
        using var serverSocket = await accept;
        await using var serverTls = new SslStream(serverSocket.GetStream(), leaveInnerStreamOpen: false);
        await using var clientTls = new SslStream(clientSocket.GetStream(), leaveInnerStreamOpen: false);
        string? seenByServer = null, seenByClient = null;

        var serverSide = Capture(async () =>
        {
            await serverTls.AuthenticateAsServerAsync(serverOptions, cts.Token);
            seenByServer = serverTls.RemoteCertificate?.Subject;
            await serverTls.WriteAsync(new byte[] { 42 }, cts.Token);
            await serverTls.FlushAsync(cts.Token);
        }, serverSocket);
        var clientSide = Capture(async () =>
        {
            await clientTls.AuthenticateAsClientAsync(clientOptions, cts.Token);
            seenByClient = clientTls.RemoteCertificate?.Subject;
            var buffer = new byte[1];
            int read = await clientTls.ReadAsync(buffer, cts.Token);
            if (read != 1 || buffer[0] != 42) throw new IOException($"expected the server's byte 42, read {read} bytes");
        }, clientSocket);
        var results = await Task.WhenAll(serverSide, clientSide);
        return (results[0], results[1], seenByServer, seenByClient);
    }

    private static async Task<Exception?> Capture(Func<Task> side, TcpClient socket)
    {
        try
        {
            await side();
            return null;
        }
        catch (Exception e)
        {
            socket.Close();
            return e;
        }
    }
}
