// `exchange`'s measured side: one coordinator round over the real data plane on loopback — every worker GETs the
// published weights and POSTs a gradient of the same size (Kestrel HTTP/1.1 and HttpClient, digests checked on both
// sides), then the coordinator takes each gradient by its reference, as RemoteWorkerProxy does. Plain HTTP, or with
// identities mutual TLS, as a fleet runs it.
using System.Net;
using Orion.Actors.DataPlane;
using Orion.Actors.Protocol;

namespace Orion.Cli.Bench;

internal sealed class DataPlaneExchange : IAsyncDisposable
{
    private const long Step = 1;
    private readonly DataPlaneServer _server;
    private readonly DataPlaneClient[] _clients;
    private readonly float[] _weights;
    private readonly float[][] _gradients;
    private readonly TensorRef _published;

    private DataPlaneExchange(DataPlaneServer server, DataPlaneClient[] clients, float[] weights)
    {
        _server = server;
        _clients = clients;
        _weights = weights;
        _gradients = clients.Select((_, i) => Pattern(weights.Length, 23 + i)).ToArray();
        server.Store.TensorLength = weights.Length;
        _published = server.Store.PublishWeights(Step, weights);
    }

    /// <param name="identities">Null for plain HTTP; otherwise the server's and the workers' certificates (HTTPS).</param>
    public static async Task<DataPlaneExchange> StartAsync(int workers, int floats, DataPlaneExchangeIdentities? identities = null)
    {
        var server = await DataPlaneServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), identities?.Server, new TensorStore(),
            () => new HelloResponse("bench", "akka.tcp://orion@127.0.0.1:1"), _ => { }).ConfigureAwait(false);
        var clients = Enumerable.Range(0, workers).Select(_ => new DataPlaneClient(server.Address, identities?.Client, TimeSpan.FromMinutes(5))).ToArray();
        return new DataPlaneExchange(server, clients, Pattern(floats, 11));
    }

    public void Round() => Task.WhenAll(_clients.Select((c, i) => WorkerAsync(c, i, check: false))).GetAwaiter().GetResult();

    /// <summary>A round whose every received value is compared with what was sent, both ways.</summary>
    public void CheckRound() => Task.WhenAll(_clients.Select((c, i) => WorkerAsync(c, i, check: true))).GetAwaiter().GetResult();

    private async Task WorkerAsync(DataPlaneClient client, int i, bool check)
    {
        var weights = await client.GetAsync(_published).ConfigureAwait(false);
        if (check && !weights.AsSpan().SequenceEqual(_weights)) throw new InvalidOperationException($"worker {i} received weights that differ from the published ones");
        TensorPool.Return(weights);
        var reference = await client.PostAsync(TensorStore.GradientPath(Step, i, 1), _gradients[i]).ConfigureAwait(false);
        var taken = _server.Store.TakeGradient(reference, out var error) ?? throw new InvalidOperationException($"worker {i}'s gradient: {error}");
        if (check && !taken.AsSpan().SequenceEqual(_gradients[i])) throw new InvalidOperationException($"worker {i}'s gradient arrived with other values");
        TensorPool.Return(taken);
    }

    private static float[] Pattern(int floats, int seed)
    {
        var v = GC.AllocateUninitializedArray<float>(floats);
        for (int i = 0; i < v.Length; i++) v[i] = (i * seed % 1000) * 0.001f;
        return v;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients) c.Dispose();
        await _server.DisposeAsync().ConfigureAwait(false);
    }
}
