// The coordinator's data plane (architecture.md, Cluster): Kestrel, HTTP/1.1, mutual TLS pinned to the cluster's CA
// whenever the node has an identity. Workers start at GET /v1/hello (protocol version, run, the Akka address to join),
// GET the weights of a step and POST each shard's gradient, streamed in both directions with no whole-tensor buffer
// beyond the tensor itself; a POST is read straight into a pooled array and its digest checked once it is whole.
// The port is open to anything that can reach it, so nothing a client sends may crash the process or corrupt the
// store: a refused request (wrong or missing length, Content-Length or digest, a short body, an unknown path) is
// answered with its reason and its connection closed; a connection that is not TLS, has no or a foreign certificate,
// or is not HTTP/1.1 is closed. Every refusal is logged with its reason and the peer, and never reaches an actor.
// Memory is bounded per request (a body is capped at the run's gradient size) and across requests (uploads in
// flight, DataPlaneLimits).
using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orion.Actors.Security;
using HttpProtocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols;

namespace Orion.Actors.DataPlane;

public sealed class DataPlaneServer : IAsyncDisposable
{
    /// <summary>Bumped when a request or response changes shape; /v1/hello reports it and workers refuse a mismatch.</summary>
    public const int ProtocolVersion = 1;

    /// <summary>The TLS client being judged, for the refusal's log line (the certificate callback is not told).</summary>
    private static readonly AsyncLocal<EndPoint?> TlsPeer = new();

    private readonly WebApplication _app;
    private readonly SemaphoreSlim _uploads;

    private DataPlaneServer(WebApplication app, SemaphoreSlim uploads, Uri address, TensorStore store) => (_app, _uploads, Address, Store) = (app, uploads, address, store);

    /// <summary>The bound address (port 0 resolves to the real port), https when the node has an identity.</summary>
    public Uri Address { get; }

    public TensorStore Store { get; }

    /// <param name="hello">What /v1/hello answers beside the protocol version: the run id and the Akka seed address.</param>
    public static Task<DataPlaneServer> StartAsync(IPEndPoint endpoint, NodeIdentity? identity, TensorStore store, Func<HelloResponse> hello, Action<string> log, CancellationToken ct = default) =>
        StartAsync(endpoint, identity, store, hello, log, DataPlaneLimits.Default, ct);

    /// <param name="hello">What /v1/hello answers beside the protocol version: the run id and the Akka seed address.</param>
    /// <param name="log">Hears every refused connection and request, with its reason.</param>
    public static async Task<DataPlaneServer> StartAsync(IPEndPoint endpoint, NodeIdentity? identity, TensorStore store, Func<HelloResponse> hello, Action<string> log, DataPlaneLimits limits, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(hello);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        var uploads = new SemaphoreSlim(limits.MaxConcurrentUploads, limits.MaxConcurrentUploads);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Kestrel's own refusals (malformed HTTP, failed handshakes) are logged at Debug; see KestrelRefusalLog.
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(new KestrelRefusalLog(log));
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPool.Factory>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            // Only a gradient upload has a body, and it raises this for itself to exactly the run's gradient size
            // (ReceiveGradientAsync). Any other request with a body is refused, so nobody can make Kestrel read or
            // drain an arbitrary amount of data on a route that never looks at it.
            k.Limits.MaxRequestBodySize = 0;
            // Let a few chunks be in flight per connection before Kestrel pauses the writer or the socket reader.
            k.Limits.MaxResponseBufferSize = 4L * ChunkBytes;
            k.Limits.MaxRequestBufferSize = 4L * ChunkBytes;
            k.Listen(endpoint, listen =>
            {
                // The data plane speaks HTTP/1.1 only (design.md: measured faster than HTTP/2 for bulk tensors); an
                // HTTP/2 preface is then malformed HTTP/1.1, refused and logged like any other.
                listen.Protocols = HttpProtocols.Http1;
                if (identity is null) return;
                listen.Use(next => async connection =>
                {
                    if (!await StartsWithTlsAsync(connection, limits.HandshakeTimeout, log).ConfigureAwait(false))
                        return; // returning without calling next closes the connection
                    TlsPeer.Value = connection.RemoteEndPoint; // flows into the handshake's certificate check below
                    await next(connection).ConfigureAwait(false);
                });
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = identity.Certificate,
                    // Allowed here, required just below: with RequireCertificate Kestrel turns away a client that sent
                    // no certificate inside the handshake without asking ClientCertificateValidation, so that refusal
                    // would reach the log with no reason at all.
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (certificate, _, _) =>
                    {
                        // NodeIdentity's check, as Akka.Remote uses it: pinned to the cluster's CA, not the OS store.
                        if (identity.Validate(certificate, out var reason)) return true;
                        log($"data plane: refused a TLS client {TlsPeer.Value}: {reason}");
                        return false;
                    },
                    HandshakeTimeout = limits.HandshakeTimeout,
                });
                listen.Use(next => async connection =>
                {
                    // Before any HTTP is read: a client without a certificate never gets a request processed.
                    if (connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate is null)
                    {
                        log($"data plane: refused a TLS client {connection.RemoteEndPoint}: presented no certificate");
                        return;
                    }
                    await next(connection).ConfigureAwait(false);
                });
            });
        });
        var app = builder.Build();
        app.MapGet("/v1/hello", () => Results.Json(hello() with { Protocol = ProtocolVersion }));
        app.MapGet("/v1/weights/{step:long}", (long step, HttpContext http) => SendWeightsAsync(store, step, http));
        app.MapPost("/v1/gradients/{step:long}/{shard:int}/{request:long}", (long step, int shard, long request, HttpContext http) =>
            ReceiveGradientAsync(store, uploads, limits.MaxConcurrentUploads, TensorStore.GradientPath(step, shard, request), http, log));
        // Everything else, including a non-numeric step, shard or request (the routes' constraints fail) and a known
        // path with the wrong method: without this, ASP.NET answers 404/405 silently and keeps the connection open.
        app.MapFallback("{**path}", (HttpContext http) => RefuseAsync(http, StatusCodes.Status404NotFound, log,
            $"{http.Request.Method} {Shorten(http.Request.Path.Value)} is not a data-plane request; expected GET /v1/hello, GET /v1/weights/STEP or POST /v1/gradients/STEP/SHARD/REQUEST with whole numbers"));
        await app.StartAsync(ct).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DataPlaneServer(app, uploads, new Uri(bound), store);
    }

    /// <summary>
    /// Whether the first byte on the TLS port opens a TLS handshake record. A worker started without --cert (plain
    /// HTTP) or stray bytes would otherwise fail inside the TLS layer as "cannot determine the frame size", which tells
    /// whoever reads the coordinator's log nothing. Nothing is consumed: the TLS layer reads the same bytes.
    /// </summary>
    private static async Task<bool> StartsWithTlsAsync(ConnectionContext connection, TimeSpan timeout, Action<string> log)
    {
        const byte handshakeRecord = 22; // TLS ContentType.handshake: every ClientHello starts with it
        var input = connection.Transport.Input;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        bounded.CancelAfter(timeout);
        ReadResult read;
        try
        {
            read = await input.ReadAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            log($"data plane: closed a connection from {connection.RemoteEndPoint}: it sent nothing within {timeout.TotalSeconds:0.#} s of connecting");
            return false;
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ConnectionAbortedException)
        {
            return false; // gone before a byte: a port probe, nothing to refuse
        }
        var buffer = read.Buffer;
        if (buffer.IsEmpty)
        {
            input.AdvanceTo(buffer.Start);
            return false;
        }
        var head = buffer.Slice(0, Math.Min(buffer.Length, 16)).ToArray();
        input.AdvanceTo(buffer.Start);
        if (head[0] == handshakeRecord) return true;
        int letters = head.TakeWhile(b => char.IsAsciiLetterUpper((char)b)).Count();
        string what = letters is > 0 and < 16 && letters < head.Length && head[letters] == (byte)' '
            ? $"plain HTTP ({System.Text.Encoding.ASCII.GetString(head, 0, letters)} ...) on the TLS port; the data plane requires mutual TLS (give the worker --cert NODE.pfx --ca CA.crt and an https address)"
            : $"bytes that do not open a TLS handshake (0x{Convert.ToHexStringLower(head)}...)";
        log($"data plane: refused a connection from {connection.RemoteEndPoint}: {what}");
        return false;
    }

    private static async Task SendWeightsAsync(TensorStore store, long step, HttpContext http)
    {
        if (store.Weights(step) is not { } weights)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await http.Response.WriteAsync($"no weights of step {step} are published (the run has moved on); ask the coordinator again").ConfigureAwait(false);
            return;
        }
        long bytes = (long)weights.Values.Length * sizeof(float);
        http.Response.ContentType = "application/octet-stream";
        http.Response.ContentLength = bytes;
        http.Response.Headers["X-Orion-Digest"] = weights.Ref.Digest;
        // Chunked writes: Kestrel applies backpressure per write, so a slow worker holds no more than a chunk in flight.
        var memory = new FloatBytes(weights.Values).Memory;
        for (int offset = 0; offset < memory.Length; offset += ChunkBytes)
            await http.Response.Body.WriteAsync(memory.Slice(offset, Math.Min(ChunkBytes, memory.Length - offset)), http.RequestAborted).ConfigureAwait(false);
        store.CountSent(bytes);
    }

    /// <summary>How much of a tensor one write moves at a time.</summary>
    public const int ChunkBytes = 1 << 20;

    /// <summary>What a digest looks like on the wire (TensorDigest: XXH128, lower-case hex).</summary>
    private const int DigestChars = 32;

    private static async Task ReceiveGradientAsync(TensorStore store, SemaphoreSlim uploads, int maxUploads, string path, HttpContext http, Action<string> log)
    {
        var query = http.Request.Query;
        Task Refuse(int status, string why) => RefuseAsync(http, status, log, $"POST {path}: {why}");
        // Every check that needs no body comes first: a refused upload never costs a tensor-sized array, and its
        // body is never read (the connection is closed instead), so an oversized one costs nothing but its headers.
        if (!int.TryParse(query["length"], NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length <= 0)
        {
            await Refuse(StatusCodes.Status400BadRequest, "the 'length' query parameter is missing or not a positive number").ConfigureAwait(false);
            return;
        }
        if (store.TensorLength <= 0 || length != store.TensorLength)
        {
            await Refuse(StatusCodes.Status400BadRequest, $"length {length:N0}, but the run's tensors have {store.TensorLength:N0} values").ConfigureAwait(false);
            return;
        }
        // The worker always sends the digest it computed; one missing or malformed is refused before the body is
        // read rather than found different after 400 MB arrived.
        if (query["digest"] is not { Count: 1 } claimedDigest || claimedDigest[0] is not { Length: DigestChars } claimed || !claimed.All(char.IsAsciiHexDigitLower))
        {
            await Refuse(StatusCodes.Status400BadRequest, $"the 'digest' query parameter is missing or not {DigestChars} lower-case hex digits (XXH128 of the body)").ConfigureAwait(false);
            return;
        }
        // fp32 by default; a bf16 run's workers send two bytes a value (the digest is of those bytes).
        bool bf16;
        switch (query["format"] is { Count: > 0 } f ? f[0] : null)
        {
            case null or "fp32": bf16 = false; break;
            case "bf16": bf16 = true; break;
            default:
                await Refuse(StatusCodes.Status400BadRequest, $"format '{Shorten(query["format"][0] ?? "")}' is not fp32 or bf16").ConfigureAwait(false);
                return;
        }
        long expectedBytes = (long)length * (bf16 ? sizeof(ushort) : sizeof(float));
        // Content-Length is required (the worker always sends it): then Kestrel ends the body exactly there, so no
        // upload can be longer than the run's gradient, and bytes after it are a next request, parsed as such. A
        // chunked body could only be capped loosely: Kestrel counts chunk framing against MaxRequestBodySize.
        if (http.Request.ContentLength is not { } declared)
        {
            await Refuse(StatusCodes.Status411LengthRequired, $"no Content-Length; a gradient upload declares its {expectedBytes:N0} bytes (chunked bodies are not accepted)").ConfigureAwait(false);
            return;
        }
        if (declared != expectedBytes)
        {
            await Refuse(declared > expectedBytes ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                $"Content-Length {declared:N0}, but {length:N0} {(bf16 ? "bf16" : "fp32")} values are {expectedBytes:N0} bytes").ConfigureAwait(false);
            return;
        }
        // The byte cap per request, raised from the server's 0 to exactly this gradient's size: it restates the
        // Content-Length check above in Kestrel's own terms, so no later change to this handler can read more.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } cap) cap.MaxRequestBodySize = expectedBytes;
        if (!uploads.Wait(0))
        {
            log($"data plane: POST {path} from {Peer(http)} waits for an upload slot: all {maxUploads} are receiving, and each holds a whole gradient in memory");
            try
            {
                await uploads.WaitAsync(http.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                log($"data plane: refused POST {path} from {Peer(http)}: the client went away while its upload waited for a slot");
                return;
            }
        }
        try
        {
            await ReadGradientAsync(store, path, length, bf16, claimed, http, log).ConfigureAwait(false);
        }
        finally
        {
            uploads.Release();
        }
    }

    private static async Task ReadGradientAsync(TensorStore store, string path, int length, bool bf16, string claimed, HttpContext http, Action<string> log)
    {
        Task Refuse(int status, string why) => RefuseAsync(http, status, log, $"POST {path}: {why}");
        long expectedBytes = (long)length * (bf16 ? sizeof(ushort) : sizeof(float));
        var values = TensorPool.Rent(length);
        bool kept = false;
        try
        {
            // bf16 lands in the first half of the pooled array and is widened in place once whole and checked.
            var (read, digest) = await TensorDigest.ReadAndHashAsync(http.Request.Body, new FloatBytes(values).Memory[..(int)expectedBytes], http.RequestAborted).ConfigureAwait(false);
            if (read != expectedBytes)
            {
                await Refuse(StatusCodes.Status400BadRequest, $"the body has {read:N0} bytes; {expectedBytes:N0} were expected (truncated)").ConfigureAwait(false);
                return;
            }
            if (!string.Equals(claimed, digest, StringComparison.Ordinal))
            {
                await Refuse(StatusCodes.Status400BadRequest, $"the body's digest is {digest[..12]}..., not the {claimed} the worker declared").ConfigureAwait(false);
                return;
            }
            if (bf16) Engine.Kernels.Bf16.UnpackInPlace(values, length);
            store.PutGradient(path, values, digest);
            kept = true;
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // Truncated by the client closing early, or stalled below Kestrel's minimum data rate: nobody to answer.
            log($"data plane: refused POST {path} from {Peer(http)}: the upload broke off ({e.Message})");
            http.Abort();
        }
        finally
        {
            if (!kept) TensorPool.Return(values);
        }
    }

    /// <summary>
    /// Logs why, answers <paramref name="status"/> with the reason (for curl and the worker's error) and closes the
    /// connection after it: the rest of a refused request's body is never read, and a client that sent something
    /// malformed has no business reusing the connection.
    /// </summary>
    private static async Task RefuseAsync(HttpContext http, int status, Action<string> log, string why)
    {
        log($"data plane: refused {why} (from {Peer(http)})");
        if (http.Response.HasStarted)
        {
            http.Abort();
            return;
        }
        http.Response.StatusCode = status;
        http.Response.Headers.Connection = "close";
        http.Response.ContentType = "text/plain; charset=utf-8";
        var text = System.Text.Encoding.UTF8.GetBytes(why);
        http.Response.ContentLength = text.Length;
        await http.Response.Body.WriteAsync(text, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The client's address, and the connection id that Kestrel's own lines about the same connection carry.</summary>
    private static string Peer(HttpContext http) => $"{http.Connection.RemoteIpAddress}:{http.Connection.RemotePort} on connection {http.Connection.Id}";

    /// <summary>A client-chosen path, cut so a hostile 8 KB request line cannot flood the log.</summary>
    private static string Shorten(string? text) => text is null ? "" : text.Length <= 120 ? text : text[..120] + "...";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _uploads.Dispose();
    }
}
