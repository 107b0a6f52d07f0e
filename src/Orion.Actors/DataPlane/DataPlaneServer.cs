// The coordinator's data plane (architecture.md, Cluster): Kestrel, HTTP/1.1, mutual TLS pinned to the cluster's CA
// whenever the node has an identity. Workers start at GET /v1/hello (protocol version, run, the Akka address to join),
// GET the weights of a step and POST each shard's gradient, streamed in both directions with no whole-tensor buffer
// beyond the tensor itself; a POST is read straight into a pooled array and its digest checked once it is whole.
// Anything malformed (wrong length, bad digest, unknown path, no or foreign certificate) is refused on that request
// or connection, with the reason logged, and never reaches an actor.
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orion.Actors.Security;

namespace Orion.Actors.DataPlane;

public sealed class DataPlaneServer : IAsyncDisposable
{
    /// <summary>Bumped when a request or response changes shape; /v1/hello reports it and workers refuse a mismatch.</summary>
    public const int ProtocolVersion = 1;

    private readonly WebApplication _app;

    private DataPlaneServer(WebApplication app, Uri address, TensorStore store) => (_app, Address, Store) = (app, address, store);

    /// <summary>The bound address (port 0 resolves to the real port), https when the node has an identity.</summary>
    public Uri Address { get; }

    public TensorStore Store { get; }

    /// <param name="hello">What /v1/hello answers beside the protocol version: the run id and the Akka seed address.</param>
    public static async Task<DataPlaneServer> StartAsync(IPEndPoint endpoint, NodeIdentity? identity, TensorStore store, Func<HelloResponse> hello, Action<string> log, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(hello);
        ArgumentNullException.ThrowIfNull(log);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>, LargeBlockMemoryPool.Factory>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null; // a gradient is hundreds of MB; its length is checked against the run's instead
            // Let a few chunks be in flight per connection before Kestrel pauses the writer or the socket reader.
            k.Limits.MaxResponseBufferSize = 4L * ChunkBytes;
            k.Limits.MaxRequestBufferSize = 4L * ChunkBytes;
            k.Listen(endpoint, listen =>
            {
                if (identity is null) return;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = identity.Certificate,
                    ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                    ClientCertificateValidation = (cert, _, _) =>
                    {
                        if (identity.Validate(cert, out var reason)) return true;
                        log($"data plane: refused a TLS client: {reason}");
                        return false;
                    },
                });
            });
        });
        var app = builder.Build();
        app.MapGet("/v1/hello", () => Results.Json(hello() with { Protocol = ProtocolVersion }));
        app.MapGet("/v1/weights/{step:long}", (long step, HttpContext http) => SendWeightsAsync(store, step, http));
        app.MapPost("/v1/gradients/{step:long}/{shard:int}/{request:long}", (long step, int shard, long request, HttpContext http) =>
            ReceiveGradientAsync(store, TensorStore.GradientPath(step, shard, request), http, log));
        await app.StartAsync(ct).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DataPlaneServer(app, new Uri(bound), store);
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

    private static async Task ReceiveGradientAsync(TensorStore store, string path, HttpContext http, Action<string> log)
    {
        var query = http.Request.Query;
        string Refuse(string why)
        {
            log($"data plane: refused POST {path}: {why}");
            return why;
        }
        if (!int.TryParse(query["length"], NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length <= 0)
        {
            await BadRequestAsync(http, Refuse("the 'length' query parameter is missing or not a positive number")).ConfigureAwait(false);
            return;
        }
        if (store.TensorLength <= 0 || length != store.TensorLength)
        {
            await BadRequestAsync(http, Refuse($"length {length:N0}, but the run's tensors have {store.TensorLength:N0} values")).ConfigureAwait(false);
            return;
        }
        long expectedBytes = (long)length * sizeof(float);
        if (http.Request.ContentLength is { } declared && declared != expectedBytes)
        {
            await BadRequestAsync(http, Refuse($"Content-Length {declared:N0}, but {length:N0} fp32 values are {expectedBytes:N0} bytes")).ConfigureAwait(false);
            return;
        }
        var values = TensorPool.Rent(length);
        bool kept = false;
        try
        {
            var body = http.Request.Body;
            int read = await body.ReadAtLeastAsync(new FloatBytes(values).Memory, (int)expectedBytes, throwOnEndOfStream: false, http.RequestAborted).ConfigureAwait(false);
            if (read != expectedBytes)
            {
                await BadRequestAsync(http, Refuse($"the body has {read:N0} bytes; {expectedBytes:N0} were expected (truncated)")).ConfigureAwait(false);
                return;
            }
            var extra = new byte[1];
            if (await body.ReadAsync(extra, http.RequestAborted).ConfigureAwait(false) != 0)
            {
                await BadRequestAsync(http, Refuse($"the body is longer than {expectedBytes:N0} bytes")).ConfigureAwait(false);
                return;
            }
            string digest = TensorDigest.Of(values);
            if (query["digest"] is { Count: 1 } claimed && !string.Equals(claimed[0], digest, StringComparison.Ordinal))
            {
                await BadRequestAsync(http, Refuse($"the body's digest is {digest[..12]}..., not the {claimed[0]} the worker declared")).ConfigureAwait(false);
                return;
            }
            store.PutGradient(path, values, digest);
            kept = true;
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            Refuse($"the upload broke off ({e.Message})");
        }
        finally
        {
            if (!kept) TensorPool.Return(values);
        }
    }

    private static async Task BadRequestAsync(HttpContext http, string? why)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await http.Response.WriteAsync(why ?? "bad request").ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
