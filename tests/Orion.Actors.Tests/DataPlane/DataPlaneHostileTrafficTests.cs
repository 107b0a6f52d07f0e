// Hostile and broken traffic against a real DataPlaneServer on 127.0.0.1 (port 0), with and without mutual TLS
// (certificates from CertificateAuthority in a temp folder): truncated, oversized and mislabelled uploads, garbage
// instead of HTTP or TLS, TLS clients without a certificate or with one of another CA, plain HTTP on the TLS port,
// unknown paths and non-numeric ids. Each must be refused on its own connection with the reason in the server's log,
// and afterwards the same server still serves a good worker: a valid gradient is accepted whole and the bad one was
// never stored. Requests are written by hand on raw sockets, because HttpClient refuses to send most of them.
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

public sealed partial class DataPlaneHostileTrafficTests : IClassFixture<DataPlaneHostileTrafficTests.Nodes>, IAsyncLifetime
{
    /// <summary>Generous, so a loaded machine never fails a test: it only bounds a hang, nothing waits for it.</summary>
    private static readonly TimeSpan Timeout = TestTimeouts.Dilated(TimeSpan.FromSeconds(60));

    /// <summary>The run's tensor length: 280,000 bytes, more than one of Kestrel's 64 KiB blocks and socket reads.</summary>
    private const int Floats = 70_000;

    private const string BadPath = "/v1/gradients/1/0/1";

    private readonly Nodes _nodes;
    private readonly LogCapture _log;
    private readonly List<DataPlaneServer> _servers = [];
    private readonly CancellationTokenSource _cts = new(Timeout);
    private readonly float[] _gradient = Pattern(Floats, 7);
    private int _goodShard = 100;

    public DataPlaneHostileTrafficTests(Nodes nodes, ITestOutputHelper output)
    {
        _nodes = nodes;
        _log = new LogCapture(line =>
        {
            try
            {
                output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // A connection logging after its test ended: xunit no longer takes output for it.
            }
        });
    }

    private CancellationToken Ct => _cts.Token;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
        _cts.Dispose();
    }

    /// <summary>The cluster's CA with a coordinator and a worker, and a stranger from another CA (shared by the tests).</summary>
    public sealed class Nodes : IDisposable
    {
        private readonly TempFolder _tmp = new("orion-dataplane-certs");

        public Nodes()
        {
            var ca = _tmp.At("ca");
            var other = _tmp.At("other-ca");
            CertificateAuthority.CreateCa(ca);
            CertificateAuthority.CreateCa(other);
            Coordinator = Load(ca, "coordinator");
            Worker = Load(ca, "worker");
            Stranger = Load(other, "stranger");
        }

        public NodeIdentity Coordinator { get; }
        public NodeIdentity Worker { get; }
        public NodeIdentity Stranger { get; }

        private static NodeIdentity Load(string caDir, string name) =>
            NodeIdentity.Load(CertificateAuthority.CreateNode(caDir, name, ["127.0.0.1", "localhost"]), Path.Combine(caDir, CertificateAuthority.CertificateFile));

        public void Dispose()
        {
            Coordinator.Dispose();
            Worker.Dispose();
            Stranger.Dispose();
            _tmp.Dispose();
        }
    }

    // ---- uploads that lie about their size or content ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_BodyShorterThanDeclaredAndClientClosesEarly_RefusedAndNotStored(bool tls)
    {
        var server = await StartAsync(tls);
        var bytes = Bytes(_gradient);

        await using (var raw = await OpenAsync(server, tls))
        {
            await raw.SendAsync(Head("POST", Target(BadPath, Floats, TensorDigest.Of(_gradient)), $"Content-Length: {bytes.Length}", "Expect: 100-continue"));
            // Once "100 Continue" is read the server is inside the body, and nothing it sent is left unread here
            // (TLS 1.3 session tickets included): closing then sends FIN, not a reset that would discard the request.
            Assert.Equal(100, (await raw.ReadResponseAsync(Ct)).Status);
            await raw.SendAsync(bytes.AsMemory(0, bytes.Length / 2));
        } // closed mid-body

        await _log.WaitForAsync(l => l.Contains($"refused POST {BadPath}", StringComparison.Ordinal) && l.Contains("broke off", StringComparison.Ordinal)).WaitAsync(Timeout);
        await AssertStillServesAsync(server, tls);
    }

    /// <summary>
    /// Content-Length frames the body, so bytes past it are the next request: here garbage, which Kestrel refuses as
    /// malformed and closes the connection on. The upload before it was whole and valid, and is stored bit-exact.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_MoreBytesThanContentLength_ExtraIsRefusedAsMalformedAndGradientStoredExact(bool tls)
    {
        var server = await StartAsync(tls);
        const string path = "/v1/gradients/1/5/1";
        var longer = Bytes(Pattern(Floats + 1000, 7));

        await using var raw = await OpenAsync(server, tls);
        await raw.SendAsync(Head("POST", Target(path, Floats, TensorDigest.Of(_gradient)), $"Content-Length: {Floats * 4}"));
        await raw.SendAsync(longer);
        var response = await raw.ReadResponseAsync(Ct);
        Assert.Equal(204, response.Status);
        var next = await raw.ReadResponseAsync(Ct);

        Assert.Equal(400, next.Status);
        await raw.ReadUntilClosedAsync(Ct);
        await _log.WaitForAsync(l => l.Contains("bad request data", StringComparison.Ordinal)).WaitAsync(Timeout);
        Assert.Equal(_gradient, Take(server, new TensorRef(path, Floats, TensorDigest.Of(_gradient))));
        await AssertStillServesAsync(server, tls);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_WrongDigest_Refused400AndNotStored(bool tls)
    {
        var server = await StartAsync(tls);
        var bytes = Bytes(_gradient);
        var otherDigest = TensorDigest.Of(Pattern(Floats, 8));

        await using var raw = await OpenAsync(server, tls);
        await raw.SendAsync(Head("POST", Target(BadPath, Floats, otherDigest), $"Content-Length: {bytes.Length}"));
        await raw.SendAsync(bytes);
        var response = await raw.ReadResponseAsync(Ct);

        Assert.Equal(400, response.Status);
        Assert.Contains(otherDigest, response.Body, StringComparison.Ordinal);
        await raw.ReadUntilClosedAsync(Ct);
        AssertLogged(BadPath, "digest");
        await AssertStillServesAsync(server, tls);
    }

    public static TheoryData<bool, string, string, int, string> RefusedBeforeTheBody()
    {
        string digest = TensorDigest.Of(Pattern(Floats, 7));
        long bytes = Floats * 4L;
        var cases = new (string Query, string Headers, int Status, string Reason)[]
        {
            // Oversized: more values than the run's tensors, a gigabyte announced.
            ($"length={Floats * 1000}&digest={digest}", $"Content-Length: {bytes * 1000}", 400, "the run's tensors have 70,000 values"),
            // The right length, but a Content-Length larger than those values.
            ($"length={Floats}&digest={digest}", $"Content-Length: {bytes + 4}", 413, "Content-Length 280,004"),
            ($"length={Floats}&digest={digest}", $"Content-Length: {bytes - 4}", 400, "Content-Length 279,996"),
            // Chunked: no size declared, so no exact cap; refused rather than read to see where it ends.
            ($"length={Floats}&digest={digest}", "Transfer-Encoding: chunked", 411, "no Content-Length"),
            ($"digest={digest}", $"Content-Length: {bytes}", 400, "'length'"),
            ($"length=seventy&digest={digest}", $"Content-Length: {bytes}", 400, "'length'"),
            ($"length=-{Floats}&digest={digest}", $"Content-Length: {bytes}", 400, "'length'"),
            ($"length={Floats}", $"Content-Length: {bytes}", 400, "'digest'"),
            ($"length={Floats}&digest=../../etc", $"Content-Length: {bytes}", 400, "'digest'"),
            ($"length={Floats}&digest={digest}&digest={digest}", $"Content-Length: {bytes}", 400, "'digest'"),
        };
        var data = new TheoryData<bool, string, string, int, string>();
        foreach (bool tls in new[] { true, false })
            foreach (var c in cases)
                data.Add(tls, c.Query, c.Headers, c.Status, c.Reason);
        return data;
    }

    /// <summary>
    /// Only the headers are sent, with Expect: 100-continue: Kestrel sends "100 Continue" only once the handler starts
    /// reading the body, so a final status as the first answer proves the body was never read (nor a tensor rented).
    /// </summary>
    [Theory]
    [MemberData(nameof(RefusedBeforeTheBody))]
    public async Task Post_BadLengthOrDigest_RefusedBeforeReadingTheBodyAndClosed(bool tls, string query, string headers, int status, string reason)
    {
        var server = await StartAsync(tls);

        await using var raw = await OpenAsync(server, tls);
        await raw.SendAsync(Head("POST", $"{BadPath}?{query}", headers, "Expect: 100-continue"));
        var response = await raw.ReadResponseAsync(Ct, acceptInterim: false);

        Assert.Equal(status, response.Status);
        Assert.Contains(reason, response.Body, StringComparison.Ordinal);
        // A chunked client ends its (empty) body, as a real one would: Kestrel otherwise waits up to its 5 s drain
        // timeout for the rest of a body it has no length for before it closes the connection.
        if (headers.Contains("chunked", StringComparison.Ordinal)) await raw.SendAsync("0\r\n\r\n"u8.ToArray());
        await raw.ReadUntilClosedAsync(Ct);
        AssertLogged(BadPath, reason);
        await AssertStillServesAsync(server, tls);
    }

    [Fact]
    public async Task Post_BeforeTheRunIsKnown_RefusedAndNotStored()
    {
        var server = await StartAsync(tls: true, tensorLength: 0);

        await using var raw = await OpenAsync(server, tls: true);
        await raw.SendAsync(Head("POST", Target(BadPath, Floats, TensorDigest.Of(_gradient)), $"Content-Length: {Floats * 4}", "Expect: 100-continue"));
        var response = await raw.ReadResponseAsync(Ct, acceptInterim: false);

        Assert.Equal(400, response.Status);
        AssertLogged(BadPath, "the run's tensors have 0 values");
        server.Store.TensorLength = Floats;
        await AssertStillServesAsync(server, tls: true);
    }

    [Fact]
    public async Task Post_MoreUploadsThanTheLimit_LaterOneWaitsForASlotThenBothAreStored()
    {
        var server = await StartAsync(tls: true, limits: new DataPlaneLimits { MaxConcurrentUploads = 1 });
        var first = Pattern(Floats, 3);
        var second = Pattern(Floats, 5);
        const string firstPath = "/v1/gradients/1/0/1";
        const string secondPath = "/v1/gradients/1/1/1";

        await using var raw = await OpenAsync(server, tls: true);
        await raw.SendAsync(Head("POST", Target(firstPath, Floats, TensorDigest.Of(first)), $"Content-Length: {Floats * 4}", "Expect: 100-continue"));
        // "100 Continue" is sent when the handler starts reading: the first upload holds the only slot now.
        Assert.Equal(100, (await raw.ReadResponseAsync(Ct)).Status);
        using var client = Client(server, tls: true);
        var secondPost = client.PostAsync(secondPath, second, ct: Ct);
        await _log.WaitForAsync(l => l.Contains($"POST {secondPath}", StringComparison.Ordinal) && l.Contains("waits", StringComparison.Ordinal)).WaitAsync(Timeout);
        Assert.False(secondPost.IsCompleted);

        await raw.SendAsync(Bytes(first));
        Assert.Equal(204, (await raw.ReadResponseAsync(Ct)).Status);
        var secondRef = await secondPost.WaitAsync(Timeout);

        Assert.Equal(first, Take(server, new TensorRef(firstPath, Floats, TensorDigest.Of(first))));
        Assert.Equal(second, Take(server, secondRef));
        AssertNoServerFault();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Get_WithABody_ClosedAndLogged(bool tls)
    {
        var server = await StartAsync(tls);

        await using var raw = await OpenAsync(server, tls);
        await raw.SendAsync(Head("GET", "/v1/hello", "Content-Length: 100000000"));
        await raw.SendAsync(new byte[4096]);

        await raw.ReadUntilClosedAsync(Ct);
        await _log.WaitForAsync(l => l.Contains("Request body too large", StringComparison.OrdinalIgnoreCase)).WaitAsync(Timeout);
        await AssertStillServesAsync(server, tls);
    }

    // ---- not our protocol ----

    public static TheoryData<bool, string, string> NotDataPlaneRequests()
    {
        var requests = new (string Method, string Target)[]
        {
            ("GET", "/"),
            ("GET", "/favicon.ico"),
            ("GET", "/v1/nothing"),
            ("GET", "/v1/weights/latest"),
            ("GET", "/v1/weights/1.5"),
            ("POST", "/v1/gradients/one/0/1?length=70000"),
            ("POST", "/v1/gradients/1/zero/1?length=70000"),
            ("POST", "/v1/gradients/1/0/first?length=70000"),
            ("POST", "/v1/gradients/1/99999999999/1?length=70000"),
            ("POST", "/v1/gradients/1/0?length=70000"),
            ("GET", "/v1/gradients/1/0/1"),
            ("POST", "/v1/weights/1"),
            ("DELETE", "/v1/hello"),
        };
        var data = new TheoryData<bool, string, string>();
        foreach (bool tls in new[] { true, false })
            foreach (var (method, target) in requests)
                data.Add(tls, method, target);
        return data;
    }

    [Theory]
    [MemberData(nameof(NotDataPlaneRequests))]
    public async Task UnknownPathOrNonNumericIds_Refused404LoggedAndClosed(bool tls, string method, string target)
    {
        var server = await StartAsync(tls);

        await using var raw = await OpenAsync(server, tls);
        await raw.SendAsync(Head(method, target));
        var response = await raw.ReadResponseAsync(Ct);

        Assert.Equal(404, response.Status);
        Assert.Contains("not a data-plane request", response.Body, StringComparison.Ordinal);
        await raw.ReadUntilClosedAsync(Ct);
        string path = target.Split('?')[0];
        await _log.WaitForAsync(l => l.Contains($"refused {method} {path} is not a data-plane request", StringComparison.Ordinal)).WaitAsync(Timeout);
        await AssertStillServesAsync(server, tls);
    }

    public static TheoryData<bool, string> Garbage() => new()
    {
        { true, "binary" },
        { true, "text" },
        { false, "binary" },
        { false, "text" },
        { false, "http2-preface" },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task GarbageInsteadOfHttp_ClosedAndLogged(bool tls, string kind)
    {
        var server = await StartAsync(tls);
        byte[] garbage = kind switch
        {
            "binary" => [0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a, .. Pattern(64, 3).SelectMany(BitConverter.GetBytes)],
            "text" => Encoding.ASCII.GetBytes("HELLO THERE, COORDINATOR\r\n\r\n"),
            _ => Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        };

        await using var raw = await OpenAsync(server, tls);
        await raw.SendAsync(garbage);

        await raw.ReadUntilClosedAsync(Ct);
        await _log.WaitForAsync(l => l.Contains("bad request data", StringComparison.OrdinalIgnoreCase)).WaitAsync(Timeout);
        await AssertStillServesAsync(server, tls);
    }
}
