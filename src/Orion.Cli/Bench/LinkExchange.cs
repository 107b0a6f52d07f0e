// The measured side of `exchange`: one coordinator round of real traffic over real Links on 127.0.0.1 (TLS off, as
// TlsMode.Auto decides on loopback; fp32): UpdateWeights out to N workers, ShardComputed back, ProtocolCodec on both.
using System.Net;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Orion.Actors.Remote;
using Orion.Actors.Protocol;

namespace Orion.Cli.Bench;

/// <summary>
/// The coordinator end listens (as <c>FleetListener</c> does); each "worker" is a loop on a client link that answers
/// every UpdateWeights at once with a ShardComputed carrying a precomputed gradient: no compute, only the exchange.
/// </summary>
internal sealed class LinkExchange : IAsyncDisposable
{
    private const string RunId = "bench-exchange";
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(30);

    private readonly LinkListener _listener;
    private readonly Link[] _coordinator;
    private readonly Link[] _workers;
    private readonly Task[] _loops;
    private readonly float[] _weights;
    private readonly float[] _gradient;
    private readonly float[]?[] _received;
    private volatile bool _keepReceived;
    private long _step;

    private LinkExchange(LinkListener listener, Link[] coordinator, Link[] workers, float[] weights, float[] gradient)
    {
        _listener = listener;
        _coordinator = coordinator;
        _workers = workers;
        _weights = weights;
        _gradient = gradient;
        _received = new float[]?[workers.Length];
        _loops = workers.Select((link, rank) => Task.Run(() => ServeAsync(rank, link))).ToArray();
    }

    /// <summary>Tensor bytes one round moves: one weights message out and one gradient back per worker.</summary>
    public long RoundBytes => 2L * _workers.Length * _weights.Length * sizeof(float);

    public static async Task<LinkExchange> StartAsync(int workers, int floats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(floats);
        var weights = BenchData.Uniform(floats, 41, 1f);
        var gradient = BenchData.Uniform(floats, 42, 1e-3f);
        var accepted = Channel.CreateUnbounded<Link>();
        var listener = LinkListener.Start(new IPEndPoint(IPAddress.Loopback, 0), Options("coordinator"),
            link => { accepted.Writer.TryWrite(link); return Task.CompletedTask; }, _ => { });
        var clients = new List<Link>();
        try
        {
            using var timeout = new CancellationTokenSource(SetupTimeout);
            for (int i = 0; i < workers; i++)
                clients.Add(await LinkClient.ConnectAsync("127.0.0.1", listener.LocalEndPoint.Port, Options(WorkerName(i)), timeout.Token).ConfigureAwait(false));
            var coordinator = new Link[workers];
            for (int i = 0; i < workers; i++)
            {
                var link = await accepted.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                coordinator[int.Parse(link.RemoteName.AsSpan("worker-".Length), System.Globalization.CultureInfo.InvariantCulture)] = link;
            }
            return new LinkExchange(listener, coordinator, [.. clients], weights, gradient);
        }
        catch
        {
            foreach (var c in clients) await c.DisposeAsync().ConfigureAwait(false);
            await listener.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Defaults everywhere (TLS Auto = off on loopback, fp32, 1 MiB chunks, no secret: loopback only).</summary>
    private static LinkOptions Options(string name) => new() { NodeName = name };

    private static string WorkerName(int rank) => $"worker-{rank}";

    /// <summary>One round, as the coordinator's broadcast and collection: every send and receive in flight at once.</summary>
    public void Round()
    {
        // As the coordinator does after summing: each received gradient goes back to the pool.
        foreach (var r in RoundAsync().GetAwaiter().GetResult()) TensorPool.Return(r.Gradients);
    }

    private async Task<ShardComputed[]> RoundAsync()
    {
        long step = Interlocked.Increment(ref _step);
        var replies = new Task<ShardComputed>[_coordinator.Length];
        var sends = new Task[_coordinator.Length];
        for (int i = 0; i < _coordinator.Length; i++)
        {
            replies[i] = ReceiveReplyAsync(_coordinator[i]);
            sends[i] = _coordinator[i].SendAsync(ProtocolCodec.Encode(new UpdateWeights(RunId, step, _weights)));
        }
        await Task.WhenAll(sends).ConfigureAwait(false);
        return await Task.WhenAll(replies).ConfigureAwait(false);
    }

    private static async Task<ShardComputed> ReceiveReplyAsync(Link link)
    {
        var m = await link.ReceiveAsync().ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{link} closed before its worker replied");
        return ProtocolCodec.DecodeReply(m) as ShardComputed
            ?? throw new InvalidOperationException($"{link}: worker replied with '{m.Type}', expected 'shard-computed'");
    }

    /// <summary>The worker: decode, answer at once. Runs until its link closes.</summary>
    private async Task ServeAsync(int rank, Link link)
    {
        while (await link.ReceiveAsync().ConfigureAwait(false) is { } m)
        {
            if (ProtocolCodec.DecodeCommand(m) is not UpdateWeights u) continue;
            if (_keepReceived) _received[rank] = u.Weights;
            else TensorPool.Return(u.Weights); // as a worker does once the weights are copied into its model
            var reply = new ShardComputed(u.RunId, WorkerName(rank), u.Step, u.Step, rank, 0, _gradient, WorkerStats.None);
            await link.SendAsync(ProtocolCodec.Encode(reply)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One round, then: TLS is off; every worker received the weights bit for bit and every reply carries its worker's
    /// name, shard, the round's step and the gradient bit for bit; each link's byte counters moved by the tensor bytes
    /// plus framing (5 bytes per 1 MiB chunk, one header frame, and any heartbeats), in both directions.
    /// </summary>
    public void CheckRound()
    {
        foreach (var link in _coordinator.Concat(_workers))
            if (link.Encrypted) throw new InvalidOperationException($"{link} runs TLS; on loopback TlsMode.Auto should leave it off");
        var sentBefore = _coordinator.Select(l => (Out: l.BytesSent, In: l.BytesReceived)).ToArray();
        var workerBefore = _workers.Select(l => (Out: l.BytesSent, In: l.BytesReceived)).ToArray();
        _keepReceived = true;
        Array.Clear(_received);
        ShardComputed[] replies;
        try
        {
            replies = RoundAsync().GetAwaiter().GetResult();
        }
        finally
        {
            _keepReceived = false;
        }
        long step = Interlocked.Read(ref _step), tensorBytes = (long)_weights.Length * sizeof(float);
        for (int i = 0; i < _workers.Length; i++)
        {
            var got = _received[i] ?? throw new InvalidOperationException($"{WorkerName(i)} got no UpdateWeights");
            Same(_weights, got, $"{WorkerName(i)}'s weights");
            var r = replies[i];
            if (r.Worker != WorkerName(i) || r.Shard != i || r.Step != step || r.RunId != RunId)
                throw new InvalidOperationException($"link {i} got the reply of {r.Worker} (shard {r.Shard}, step {r.Step}, run {r.RunId}); expected {WorkerName(i)}, shard {i}, step {step}, run {RunId}");
            Same(_gradient, r.Gradients, $"{WorkerName(i)}'s gradient");
            Moved(_coordinator[i].BytesSent - sentBefore[i].Out, tensorBytes, $"coordinator -> {WorkerName(i)}, sent");
            Moved(_workers[i].BytesReceived - workerBefore[i].In, tensorBytes, $"coordinator -> {WorkerName(i)}, received");
            Moved(_workers[i].BytesSent - workerBefore[i].Out, tensorBytes, $"{WorkerName(i)} -> coordinator, sent");
            Moved(_coordinator[i].BytesReceived - sentBefore[i].In, tensorBytes, $"{WorkerName(i)} -> coordinator, received");
        }
        Array.Clear(_received);
    }

    private static void Same(float[] sent, float[] received, string what)
    {
        int prefix = MemoryMarshal.AsBytes(sent.AsSpan()).CommonPrefixLength(MemoryMarshal.AsBytes(received.AsSpan()));
        if (sent.Length != received.Length || prefix != sent.Length * sizeof(float))
            throw new InvalidOperationException($"{what}: {received.Length:N0} values received, {sent.Length:N0} sent; first differing byte {prefix:N0}");
    }

    private static void Moved(long bytes, long tensorBytes, string what)
    {
        const long chunk = 1 << 20, slack = 4096; // one MessageStart frame and a few 5-byte heartbeats
        long most = tensorBytes + (tensorBytes + chunk - 1) / chunk * 5 + slack;
        if (bytes < tensorBytes || bytes > most)
            throw new InvalidOperationException($"{what}: the link counted {bytes:N0} bytes for one message of {tensorBytes:N0} tensor bytes; expected {tensorBytes:N0} to {most:N0}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var w in _workers) await w.DisposeAsync().ConfigureAwait(false);
        await _listener.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).WaitAsync(SetupTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LinkClosedException or TimeoutException)
        {
            // A worker loop ends with its link; how it ended does not matter once the measurement is over.
        }
    }
}
