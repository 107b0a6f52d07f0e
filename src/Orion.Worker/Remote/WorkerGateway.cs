// A worker node's face to the fleet, at /user/worker: the coordinator's membership actor finds it, and its
// RemoteWorkerProxy talks to it. It turns data-plane references into tensors for the local WorkerActor (fetching
// weights over HTTPS) and the worker's gradients into references (posting them), one message at a time, so commands
// reach the worker in the order the coordinator sent them. Weights it could not fetch are reported (the worker is
// prepared again); until then the worker itself refuses shards that need newer weights than it holds.
using Akka.Actor;
using Orion.Actors.DataPlane;
using Orion.Actors.Protocol;
using Orion.Engine.Model;

namespace Orion.Worker.Remote;

public sealed class WorkerGateway : ReceiveActor
{
    private readonly WorkerOptions _options;
    private readonly DataPlaneClient _data;
    private readonly TaskCompletionSource<EndRun> _ended;
    private readonly Action<string> _log;
    private IActorRef _worker = ActorRefs.Nobody;
    private IActorRef _coordinator = ActorRefs.Nobody;

    /// <summary>Requests whose gradient goes back as bf16 (the run's choice, carried by each ComputeShard).</summary>
    private readonly HashSet<long> _bf16Requests = [];

    public WorkerGateway(WorkerOptions options, DataPlaneClient data, TaskCompletionSource<EndRun> ended, Action<string> log)
    {
        _options = options;
        _data = data;
        _ended = ended;
        _log = log;
        Receive<DescribeWorker>(_ => Sender.Tell(new WorkerDescribed(_options.Name, "")));
        ReceiveAsync<PrepareRunRef>(PrepareAsync);
        ReceiveAsync<UpdateWeightsRef>(UpdateAsync);
        Receive<ComputeShard>(c =>
        {
            _coordinator = Sender;
            if (c.Bf16Gradients) _bf16Requests.Add(c.RequestId);
            _worker.Tell(c);
        });
        Receive<EndRun>(e =>
        {
            _worker.Tell(e);
            _ended.TrySetResult(e);
        });
        ReceiveAsync<ShardComputed>(PostAsync);
        Receive<CoordinatorMessage>(m => _coordinator.Tell(m));
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_worker)) Context.Stop(Self);
        });
    }

    public static Props Props(WorkerOptions options, DataPlaneClient data, TaskCompletionSource<EndRun> ended, Action<string> log) =>
        Akka.Actor.Props.Create(() => new WorkerGateway(options, data, ended, log));

    protected override void PreStart()
    {
        _worker = Context.ActorOf(WorkerActor.Supervised(_options, Self, _options.Name), "device");
        Context.Watch(_worker);
    }

    private async Task PrepareAsync(PrepareRunRef p)
    {
        _coordinator = Sender;
        float[] weights;
        ModelConfig config;
        try
        {
            config = ModelConfig.FromJsonElement(p.Config, "the coordinator's PrepareRun");
            weights = await _data.GetAsync(p.Weights).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or TaskCanceledException or ArgumentException)
        {
            Sender.Tell(new WorkerFailed(p.RunId, _options.Name, $"could not fetch the weights of step {p.Step}: {e.Message}"));
            return;
        }
        _worker.Tell(new PrepareRun(p.RunId, config, p.Seq, p.Step, weights));
    }

    private async Task UpdateAsync(UpdateWeightsRef u)
    {
        _coordinator = Sender;
        try
        {
            var weights = await _data.GetAsync(u.Weights).ConfigureAwait(false);
            _worker.Tell(new UpdateWeights(u.RunId, u.Step, weights, Owned: true));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or TaskCanceledException)
        {
            var why = $"worker {_options.Name} could not fetch the weights of step {u.Step} ({e.Message}) and waits to be prepared again";
            _log(why);
            Sender.Tell(new WorkerFailed(u.RunId, _options.Name, why));
        }
    }

    private async Task PostAsync(ShardComputed c)
    {
        try
        {
            bool bf16 = _bf16Requests.Remove(c.RequestId);
            var reference = await _data.PostAsync(TensorStore.GradientPath(c.Step, c.Shard, c.RequestId), c.Gradients, bf16).ConfigureAwait(false);
            _coordinator.Tell(new ShardComputedRef(c.RunId, c.Worker, c.Step, c.RequestId, c.Shard, c.Loss, reference, c.Stats));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            _coordinator.Tell(new ShardFailed(c.RunId, c.Worker, c.Step, c.RequestId, c.Shard, $"could not post the gradient: {e.Message}"));
        }
    }
}
