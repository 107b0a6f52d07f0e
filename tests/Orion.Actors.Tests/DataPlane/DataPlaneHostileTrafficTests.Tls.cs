// The hostile-traffic tests of the TLS port: plain HTTP or garbage instead of a handshake, a client without a
// certificate, one with a certificate of another CA. Fixture, helpers and the raw connection: .Support.cs.
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Orion.Actors.DataPlane;
using Orion.Actors.Protocol;
using Orion.Actors.Security;
using Orion.TestKit.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace Orion.Actors.Tests.DataPlane;

public sealed partial class DataPlaneHostileTrafficTests
{
    // ---- the TLS port ----

    [Fact]
    public async Task PlainHttpToTheTlsPort_ClosedAndLoggedAsPlainHttp()
    {
        var server = await StartAsync(tls: true);

        await using (var raw = await RawConnection.OpenAsync(server.Address, tls: null, Ct))
        {
            await raw.SendAsync(Head("GET", "/v1/hello"));
            await raw.ReadUntilClosedAsync(Ct);
        }
        // And what a worker started without --cert hears: the refusal that makes `orion worker` exit at once.
        var plainAddress = new UriBuilder(server.Address) { Scheme = Uri.UriSchemeHttp }.Uri;
        using (var plain = new DataPlaneClient(plainAddress, identity: null, Timeout))
            await Assert.ThrowsAsync<DataPlaneRefusedException>(() => plain.HelloAsync(Ct));

        await _log.WaitForAsync(l => l.Contains("plain HTTP (GET ...) on the TLS port", StringComparison.Ordinal)).WaitAsync(Timeout);
        await AssertStillServesAsync(server, tls: true);
    }

    [Theory]
    [InlineData("binary")]
    [InlineData("fake-tls-record")]
    public async Task GarbageInsteadOfTlsHandshake_ClosedAndLogged(string kind)
    {
        var server = await StartAsync(tls: true);
        // A record header that claims a handshake, then nonsense: it passes the first-byte check and fails in TLS.
        byte[] garbage = kind == "binary" ? [0x00, 0x01, 0x02, 0x03, 0xfe, 0xff] : [0x16, 0x03, 0x01, 0x00, 0x10, .. new byte[16]];

        await using (var raw = await RawConnection.OpenAsync(server.Address, tls: null, Ct))
        {
            await raw.SendAsync(garbage);
            await raw.ReadUntilClosedAsync(Ct);
        }

        await _log.WaitForAsync(l => kind == "binary"
            ? l.Contains("do not open a TLS handshake (0x0001", StringComparison.Ordinal)
            : l.Contains("authenticate", StringComparison.OrdinalIgnoreCase)).WaitAsync(Timeout);
        await AssertStillServesAsync(server, tls: true);
    }

    [Fact]
    public async Task TlsClientWithoutCertificate_RefusedAndLogged()
    {
        var server = await StartAsync(tls: true);
        var anonymous = _nodes.Worker.ClientOptions("127.0.0.1");
        anonymous.ClientCertificateContext = null;

        await AssertTlsClientRefusedAsync(server, anonymous);

        await _log.WaitForAsync(l => l.Contains("refused a TLS client", StringComparison.Ordinal) && l.Contains("presented no certificate", StringComparison.Ordinal)).WaitAsync(Timeout);
        await AssertStillServesAsync(server, tls: true);
    }

    [Fact]
    public async Task TlsClientWithCertificateOfAnotherCa_RefusedAndLogged()
    {
        var server = await StartAsync(tls: true);
        var stranger = _nodes.Stranger.ClientOptions("127.0.0.1");
        // The stranger trusts this coordinator's certificate (pinned), so the refusal heard is the server's
        // judgement of the stranger's certificate, not the stranger's of the server's.
        var coordinator = _nodes.Coordinator.Certificate.GetCertHashString();
        stranger.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == coordinator;

        await AssertTlsClientRefusedAsync(server, stranger);

        await _log.WaitForAsync(l => l.Contains("refused a TLS client", StringComparison.Ordinal) && l.Contains("CN=stranger", StringComparison.Ordinal)
            && l.Contains("is not issued by this cluster's CA", StringComparison.Ordinal)).WaitAsync(Timeout);
        using (var client = new DataPlaneClient(server.Address, _nodes.Stranger, Timeout))
            await Assert.ThrowsAsync<DataPlaneRefusedException>(() => client.HelloAsync(Ct));
        await AssertStillServesAsync(server, tls: true);
    }

    /// <summary>
    /// With TLS 1.3 the client may finish its side of the handshake before the server has judged its certificate, so
    /// the refusal shows on the first request: it gets no HTTP answer, only a closed connection.
    /// </summary>
    private async Task AssertTlsClientRefusedAsync(DataPlaneServer server, SslClientAuthenticationOptions options)
    {
        RawConnection? raw = null;
        try
        {
            raw = await RawConnection.OpenAsync(server.Address, options, Ct);
            await raw.SendAsync(Head("GET", "/v1/hello"));
            await raw.ReadUntilClosedAsync(Ct);
            Assert.Equal(0, raw.BytesReceivedAtClose);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            // Refused during the handshake itself: as good.
        }
        finally
        {
            if (raw is not null) await raw.DisposeAsync();
        }
    }
}
