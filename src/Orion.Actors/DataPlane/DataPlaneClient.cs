// A worker's side of the data plane: HttpClient over HTTP/1.1 with the node's certificate (mutual TLS, the server
// checked against the cluster's CA, never the machine's trust store). Weights are read straight into a pooled array
// and checked against their reference's digest; gradients are streamed from the worker's own array.
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Authentication;
using Orion.Actors.Protocol;
using Orion.Actors.Security;

namespace Orion.Actors.DataPlane;

public sealed class DataPlaneClient : IDisposable
{
    private readonly HttpClient _http;

    public DataPlaneClient(Uri address, NodeIdentity? identity, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (identity is null && address.Scheme == Uri.UriSchemeHttps)
            throw new ArgumentException($"{address} is https, but this node has no certificate; give --cert NODE.pfx --ca CA.crt");
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        if (identity is not null) handler.SslOptions = identity.ClientOptions(address.Host);
        _http = new HttpClient(handler) { BaseAddress = address, Timeout = timeout };
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>
    /// The coordinator's hello. A TLS refusal (either side's certificate not from the cluster's CA) is a
    /// <see cref="DataPlaneRefusedException"/>: retrying could never succeed.
    /// </summary>
    public async Task<HelloResponse> HelloAsync(CancellationToken ct = default)
    {
        try
        {
            var hello = await _http.GetFromJsonAsync<HelloResponse>("/v1/hello", ct).ConfigureAwait(false)
                ?? throw new HttpRequestException($"{Address}v1/hello answered nothing");
            if (hello.Protocol != DataPlaneServer.ProtocolVersion)
                throw new DataPlaneRefusedException($"the coordinator at {Address} speaks data-plane protocol {hello.Protocol}, this build {DataPlaneServer.ProtocolVersion}; run the same Orion build on every node");
            return hello;
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded && Address.Scheme == Uri.UriSchemeHttp)
        {
            throw new DataPlaneRefusedException($"the coordinator at {Address} does not answer plain HTTP: it requires mutual TLS; give this worker --cert NODE.pfx --ca CA.crt from the cluster's CA", e);
        }
        catch (HttpRequestException e) when (IsTlsRefusal(e))
        {
            throw new DataPlaneRefusedException($"the coordinator at {Address} and this worker do not trust each other's certificates ({Innermost(e).Message}); " +
                "give every node a certificate from the same cluster CA (`orion certs create-node`) and that CA's ca.crt", e);
        }
    }

    /// <summary>Fetches the tensor <paramref name="reference"/> names into a pooled array and checks its digest.</summary>
    public async Task<float[]> GetAsync(TensorRef reference, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Length <= 0) throw new InvalidDataException($"tensor reference {reference.Path} has length {reference.Length}; expected a positive count of fp32 values");
        // HttpClient.Timeout stops at the headers; the body of a stalled transfer must time out as well.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(_http.Timeout);
        ct = bounded.Token;
        using var response = await _http.GetAsync(new Uri(reference.Path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET {reference.Path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
        long expected = (long)reference.Length * sizeof(float);
        if (response.Content.Headers.ContentLength is { } declared && declared != expected)
            throw new InvalidDataException($"GET {reference.Path}: {declared:N0} bytes announced, but the reference says {reference.Length:N0} fp32 values ({expected:N0} bytes)");
        var values = TensorPool.Rent(reference.Length);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var (read, digest) = await TensorDigest.ReadAndHashAsync(body, new FloatBytes(values).Memory, ct).ConfigureAwait(false);
            if (read != expected) throw new InvalidDataException($"GET {reference.Path}: the body ended after {read:N0} of {expected:N0} bytes");
            if (!string.Equals(digest, reference.Digest, StringComparison.Ordinal))
                throw new InvalidDataException($"GET {reference.Path}: the tensor's digest is {digest[..12]}..., not {reference.Digest[..Math.Min(12, reference.Digest.Length)]}... as referenced");
            return values;
        }
        catch
        {
            TensorPool.Return(values);
            throw;
        }
    }

    /// <summary>Posts <paramref name="values"/> to <paramref name="path"/>; returns the reference the coordinator checks.</summary>
    /// <param name="bf16">Send the values as bf16 (rounded to nearest even, two bytes each); the digest is then of
    /// those bytes. The coordinator of a bf16 run sums exactly these values.</param>
    public async Task<TensorRef> PostAsync(string path, float[] values, bool bf16 = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        byte[]? packed = null;
        try
        {
            ReadOnlyMemory<byte> body;
            string digest;
            if (bf16)
            {
                packed = System.Buffers.ArrayPool<byte>.Shared.Rent(values.Length * sizeof(ushort));
                var bytes = packed.AsMemory(0, values.Length * sizeof(ushort));
                Engine.Kernels.Bf16.Pack(values, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes.Span));
                (body, digest) = (bytes, TensorDigest.OfBytes(bytes.Span));
            }
            else
            {
                (body, digest) = (new FloatBytes(values).Memory, TensorDigest.Of(values));
            }
            var reference = new TensorRef(path, values.Length, digest);
            using var content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            var uri = new Uri($"{path}?length={values.Length.ToString(CultureInfo.InvariantCulture)}&digest={reference.Digest}{(bf16 ? "&format=bf16" : "")}", UriKind.Relative);
            using var response = await _http.PostAsync(uri, content, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
            return reference;
        }
        finally
        {
            if (packed is not null) System.Buffers.ArrayPool<byte>.Shared.Return(packed);
        }
    }

    private static bool IsTlsRefusal(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is AuthenticationException) return true;
        // The server closing the handshake on a refused client certificate reaches the client as a reset during TLS.
        return e is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError };
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    public void Dispose() => _http.Dispose();
}
