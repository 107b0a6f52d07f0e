// What the hostile-traffic tests share: the server and client they start, the log they read, and RawConnection, a
// hand-written HTTP/1.1 (and TLS) client on a raw socket, since HttpClient refuses to send most of these requests.
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
