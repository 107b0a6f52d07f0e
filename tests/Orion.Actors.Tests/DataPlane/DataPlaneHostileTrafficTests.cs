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

public sealed class DataPlaneHostileTrafficTests : IClassFixture<DataPlaneHostileTrafficTests.Nodes>, IAsyncLifetime
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

    // ---- helpers ----

    private async Task<DataPlaneServer> StartAsync(bool tls, int tensorLength = Floats, DataPlaneLimits? limits = null)
    {
        var store = new TensorStore { TensorLength = tensorLength };
        var server = await DataPlaneServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), tls ? _nodes.Coordinator : null, store,
            () => new HelloResponse("hostile-traffic", "akka.tcp://orion@127.0.0.1:1"), _log.Add, limits ?? DataPlaneLimits.Default, Ct);
        _servers.Add(server);
        return server;
    }

    private Task<RawConnection> OpenAsync(DataPlaneServer server, bool tls) =>
        RawConnection.OpenAsync(server.Address, tls ? _nodes.Worker.ClientOptions("127.0.0.1") : null, Ct);

    private DataPlaneClient Client(DataPlaneServer server, bool tls) => new(server.Address, tls ? _nodes.Worker : null, Timeout);

    /// <summary>
    /// The process and the store survived: a real worker's hello and a valid gradient are accepted (the gradient
    /// comes back whole by its reference), the refused upload at <see cref="BadPath"/> was never stored, and no
    /// handler failed with an unhandled exception.
    /// </summary>
    private async Task AssertStillServesAsync(DataPlaneServer server, bool tls)
    {
        using var client = Client(server, tls);
        var hello = await client.HelloAsync(Ct);
        Assert.Equal("hostile-traffic", hello.RunId);
        var good = Pattern(Floats, 11 + _goodShard);
        var reference = await client.PostAsync(TensorStore.GradientPath(1, _goodShard++, 1), good, ct: Ct);
        Assert.Equal(good, Take(server, reference));

        Assert.Null(server.Store.TakeGradient(new TensorRef(BadPath, Floats, TensorDigest.Of(_gradient)), out var error));
        Assert.Contains("no gradient was posted", error, StringComparison.Ordinal);
        AssertNoServerFault();
    }

    private void AssertNoServerFault() =>
        Assert.DoesNotContain(_log.Lines, l => l.StartsWith("data plane: error", StringComparison.Ordinal) || l.StartsWith("data plane: critical", StringComparison.Ordinal));

    private void AssertLogged(string path, string reason) =>
        Assert.Contains(_log.Lines, l => l.Contains($"refused POST {path}", StringComparison.Ordinal) && l.Contains(reason, StringComparison.Ordinal));

    private static float[] Take(DataPlaneServer server, TensorRef reference)
    {
        var values = server.Store.TakeGradient(reference, out var error);
        Assert.True(values is not null, error);
        return values;
    }

    private static string Target(string path, int length, string digest) =>
        $"{path}?length={length.ToString(CultureInfo.InvariantCulture)}&digest={digest}";

    private static byte[] Head(string method, string target, params string[] headers) =>
        Encoding.ASCII.GetBytes($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{string.Concat(headers.Select(h => h + "\r\n"))}\r\n");

    private static byte[] Bytes(float[] values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static float[] Pattern(int floats, int seed)
    {
        var v = new float[floats];
        for (int i = 0; i < v.Length; i++) v[i] = (i * seed % 1000) * 0.001f - 0.5f;
        return v;
    }

    /// <summary>The server's log, in memory, with waits for a line that has not arrived yet (signals, not polling).</summary>
    private sealed class LogCapture(Action<string> echo)
    {
        private readonly Lock _gate = new();
        private readonly List<string> _lines = [];
        private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_gate) return [.. _lines];
            }
        }

        public void Add(string line)
        {
            echo(line);
            lock (_gate)
            {
                _lines.Add(line);
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Seen.TrySetResult(line);
                }
            }
        }

        public Task<string> WaitForAsync(Func<string, bool> match)
        {
            lock (_gate)
            {
                if (_lines.FirstOrDefault(match) is { } seen) return Task.FromResult(seen);
                var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((match, waiter));
                return waiter.Task.WaitAsync(Timeout).ContinueWith(t => t.IsFaulted
                    ? throw new TimeoutException($"no log line matched within {Timeout.TotalSeconds:0} s; the server logged:\n{string.Join("\n", Lines)}")
                    : t.Result, TaskScheduler.Default);
            }
        }
    }

    private sealed record RawResponse(int Status, Dictionary<string, string> Headers, string Body);

    /// <summary>A hand-driven client connection: plain TCP, or TLS with the given options (any server accepted).</summary>
    private sealed class RawConnection : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly Stream _stream;
        private readonly List<byte> _pending = [];

        private RawConnection(TcpClient tcp, Stream stream) => (_tcp, _stream) = (tcp, stream);

        /// <summary>Bytes the server sent that no read consumed before it closed (see <see cref="ReadUntilClosedAsync"/>).</summary>
        public int BytesReceivedAtClose { get; private set; }

        public static async Task<RawConnection> OpenAsync(Uri address, SslClientAuthenticationOptions? tls, CancellationToken ct)
        {
            var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync(IPAddress.Loopback, address.Port, ct);
                Stream stream = tcp.GetStream();
                if (tls is not null)
                {
                    var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                    await ssl.AuthenticateAsClientAsync(tls, ct);
                    stream = ssl;
                }
                return new RawConnection(tcp, stream);
            }
            catch
            {
                tcp.Dispose();
                throw;
            }
        }

        public async Task SendAsync(ReadOnlyMemory<byte> bytes)
        {
            await _stream.WriteAsync(bytes);
            await _stream.FlushAsync();
        }

        /// <summary>Status line, headers and a Content-Length body; interim (1xx) answers are returned as they come.</summary>
        public async Task<RawResponse> ReadResponseAsync(CancellationToken ct, bool acceptInterim = true)
        {
            var head = await ReadHeadAsync(ct);
            var lines = head.Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
            var headers = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(':', 2))
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
            if (status < 200)
            {
                Assert.True(acceptInterim, $"the server answered '{lines[0]}' first: it started reading a body it should have refused");
                return new RawResponse(status, headers, "");
            }
            int length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
            var body = await ReadExactlyAsync(length, ct);
            return new RawResponse(status, headers, Encoding.UTF8.GetString(body));
        }

        /// <summary>
        /// Returns once the server has closed the connection (a reset counts), discarding what arrives; a server
        /// that keeps it open fails the test when <paramref name="ct"/> runs out.
        /// </summary>
        public async Task ReadUntilClosedAsync(CancellationToken ct)
        {
            int received = _pending.Count;
            _pending.Clear();
            var buffer = new byte[16384];
            try
            {
                while (true)
                {
                    int n = await _stream.ReadAsync(buffer, ct);
                    if (n == 0) break;
                    received += n;
                }
            }
            catch (IOException)
            {
            }
            BytesReceivedAtClose = received;
        }

        private async Task<string> ReadHeadAsync(CancellationToken ct)
        {
            var buffer = new byte[4096];
            while (true)
            {
                int end = IndexOfHeadEnd();
                if (end >= 0)
                {
                    var head = Encoding.ASCII.GetString([.. _pending.Take(end)]);
                    _pending.RemoveRange(0, end + 4);
                    return head;
                }
                int n = await _stream.ReadAsync(buffer, ct);
                if (n == 0) throw new IOException($"the server closed the connection before a whole response head ({_pending.Count} bytes)");
                _pending.AddRange(buffer.AsSpan(0, n));
            }
        }

        private int IndexOfHeadEnd()
        {
            for (int i = 0; i + 3 < _pending.Count; i++)
                if (_pending[i] == '\r' && _pending[i + 1] == '\n' && _pending[i + 2] == '\r' && _pending[i + 3] == '\n') return i;
            return -1;
        }

        private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken ct)
        {
            var buffer = new byte[4096];
            while (_pending.Count < count)
            {
                int n = await _stream.ReadAsync(buffer, ct);
                if (n == 0) throw new IOException($"the server closed the connection {count - _pending.Count} bytes before the end of the response body");
                _pending.AddRange(buffer.AsSpan(0, n));
            }
            var body = _pending.Take(count).ToArray();
            _pending.RemoveRange(0, count);
            return body;
        }

        public async ValueTask DisposeAsync()
        {
            await _stream.DisposeAsync();
            _tcp.Dispose();
        }
    }
}
