// The worker actor (issue 5, item 6): owns one ANE device; on PrepareRun compiles the model's programs or takes them
// from the program cache; evaluates shards (forward + backward-data on the device, dW on the CPU) and replies with
// the gradient; delta-patches every weight update. A changed device fingerprint (an OS update) recompiles through the
// cache and is reported; an exhausted compile budget recycles the device instead of failing the run. It runs on the
// dedicated device dispatcher (Props), so a shard that takes a long time never holds a thread other actors need.
using Orion.Actors.DataPlane;
using Akka.Actor;
using Akka.Pattern;
using Orion.Actors.Hosting;
using Orion.Actors.Protocol;
using Orion.Engine.Ane;
using Orion.Engine.Data;
using Orion.Engine.Model;
using Orion.Engine.Model.Device;

namespace Orion.Worker;

public sealed class WorkerActor : UntypedActor
{
    private readonly WorkerOptions _options;
    private readonly IActorRef _coordinator;
    private IAneDevice? _device;
    private DeviceModel? _model;
    private DeviceFingerprint? _compiledFor, _staleFingerprint;
    private string? _runId;
    private long _weightsStep = -1;
    private int _compilesBefore, _recycles, _invalidations;
    private long _patched;

    public WorkerActor(WorkerOptions options, IActorRef coordinator)
    {
        _options = options;
        _coordinator = coordinator;
    }

    /// <summary>The worker on the device dispatcher; replies go to <paramref name="coordinator"/>.</summary>
    public static Props Props(WorkerOptions options, IActorRef coordinator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(coordinator);
        return Akka.Actor.Props.Create(() => new WorkerActor(options, coordinator)).WithDispatcher(OrionAkka.DeviceDispatcher);
    }

    /// <summary>
    /// The worker under a backoff supervisor named <paramref name="name"/>: a failure outside a handled shard (a device
    /// that cannot be opened) restarts it after 0.1 s, doubling to 5 s, instead of spinning; when the worker stops by
    /// itself (EndRun) the supervisor stops too, so a watcher of the returned actor sees the worker go.
    /// </summary>
    public static Props Supervised(WorkerOptions options, IActorRef coordinator, string name) =>
        BackoffSupervisor.Props(Backoff.OnFailure(Props(options, coordinator), name, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), 0.2, -1));

    protected override void PreStart()
    {
        _device = _options.OpenDevice();
        if (_options.Cache is { } cache) cache.Invalidated += OnInvalidated;
    }

    private void OnInvalidated(object? sender, CacheInvalidatedEventArgs e)
    {
        Interlocked.Increment(ref _invalidations);
        _staleFingerprint = e.OldFingerprint; // raised on this actor's thread, inside Build
    }

    /// <summary>Reports the programs <see cref="Build"/> found cached for another fingerprint (an OS update), if any.</summary>
    private void ReportInvalidations(string runId, int before, DeviceFingerprint? compiledBefore)
    {
        int invalidated = Volatile.Read(ref _invalidations) - before;
        var old = compiledBefore ?? _staleFingerprint;
        if (old is null || old == _compiledFor || (invalidated == 0 && compiledBefore is null)) return;
        _coordinator.Tell(new DeviceFingerprintChanged(runId, _options.Name, old, _compiledFor!, invalidated, Stats()));
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case PrepareRun p: Prepare(p); break;
            case ComputeShard c: Compute(c); break;
            case UpdateWeights u: Update(u); break;
            case EndRun: Context.Stop(Self); break;
            default: Unhandled(message); break;
        }
    }

    private void Prepare(PrepareRun p)
    {
        _runId = p.RunId;
        try
        {
            var parameters = ModelParameters.Zeros(ParameterLayout.For(p.Config));
            CheckLength(p.Weights, parameters.Data.Length, "weights");
            p.Weights.CopyTo(parameters.Data, 0);
            int before = Volatile.Read(ref _invalidations);
            _staleFingerprint = null;
            Build(parameters, p.Seq);
            _weightsStep = p.Step;
            ReportInvalidations(p.RunId, before, null); // cached for another OS build: found at the first prepare after a restart
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            DisposeModel();
            _coordinator.Tell(new WorkerFailed(p.RunId, _options.Name, $"could not prepare {p.Config.Name}: {ex.Message}"));
            return;
        }
        _coordinator.Tell(new WorkerReady(p.RunId, _options.Name, p.Step, Stats()));
    }

    private void Compute(ComputeShard c)
    {
        try
        {
            if (_model is null || c.RunId != _runId) throw new InvalidOperationException($"worker {_options.Name} has not been prepared for run {c.RunId}");
            if (c.WeightsStep != _weightsStep)
                throw new InvalidOperationException($"worker {_options.Name} holds the weights after step {_weightsStep}, but shard {c.Shard} of step {c.Step} needs those after step {c.WeightsStep} (an update was lost); it will be prepared again");
            if (_device!.Fingerprint != _compiledFor)
            {
                var old = _compiledFor!;
                int before = Volatile.Read(ref _invalidations);
                Build(_model.Parameters, _model.Seq); // the cache sees the new fingerprint: entries invalidated, recompiled
                ReportInvalidations(c.RunId, before, old);
            }
            var grads = ModelParameters.Zeros(_model.Parameters.Layout);
            double loss = _model.ForwardBackward(new Batch(c.Inputs, c.Targets, c.BatchSize, c.Seq), grads, c.GradScale);
            _coordinator.Tell(new ShardComputed(c.RunId, _options.Name, c.Step, c.RequestId, c.Shard, loss, grads.Data, Stats()));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _coordinator.Tell(new ShardFailed(c.RunId, _options.Name, c.Step, c.RequestId, c.Shard, ex.Message));
            // The device may be in any state after a failed evaluation: drop the programs; the coordinator re-prepares.
            DisposeModel();
        }
    }

    private void Update(UpdateWeights u)
    {
        try
        {
            if (_model is null || u.RunId != _runId) return; // not prepared: the next PrepareRun carries the weights
            CheckLength(u.Weights, _model.Parameters.Data.Length, "weights");
            u.Weights.CopyTo(_model.Parameters.Data, 0);
            _weightsStep = -1; // until the patch is in, the programs hold neither the old weights nor the new ones
            _patched += _model.PatchWeights();
            _weightsStep = u.Step;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            DisposeModel();
            _coordinator.Tell(new WorkerFailed(u.RunId, _options.Name, $"could not patch the weights of step {u.Step}: {ex.Message}"));
        }
        finally
        {
            if (u.Owned) TensorPool.Return(u.Weights);
        }
    }

    /// <summary>
    /// Compiles (or loads from the cache) every program. When the compile budget runs out the device is recycled and the
    /// build retried, as long as a retry can get further: the device had compiled before this attempt (a fresh one has
    /// its whole budget), or this attempt put programs into the cache (the next one starts there). A budget smaller
    /// than one program, or than the whole model without a cache, still fails.
    /// </summary>
    private void Build(ModelParameters parameters, int seq)
    {
        DisposeModel();
        while (true)
        {
            int before = _device!.CompileCount;
            try
            {
                _model = new DeviceModel(_device, parameters, 1, seq, training: true, cache: _options.Cache);
                break;
            }
            catch (CompileBudgetExceededException) when (before > 0 || (_options.Cache is not null && _device.CompileCount > before))
            {
                Recycle();
            }
        }
        _compiledFor = _device.Fingerprint;
    }

    private void Recycle()
    {
        _compilesBefore += _device!.CompileCount;
        _device.Dispose();
        _device = _options.OpenDevice();
        _recycles++;
    }

    private WorkerStats Stats()
    {
        var cache = _options.Cache;
        return new WorkerStats(_device?.Fingerprint.ToString() ?? "", _compilesBefore + (_device?.CompileCount ?? 0),
            cache?.Hits ?? 0, cache?.Misses ?? 0, Volatile.Read(ref _invalidations), _patched, _recycles);
    }

    private static void CheckLength(float[] values, int expected, string what)
    {
        if (values.Length != expected) throw new ArgumentException($"{what}: {values.Length:N0} values, but the model has {expected:N0} parameters");
    }

    private void DisposeModel()
    {
        _model?.Dispose();
        _model = null;
    }

    protected override void PostStop()
    {
        if (_options.Cache is { } cache) cache.Invalidated -= OnInvalidated;
        DisposeModel();
        _device?.Dispose();
    }
}
