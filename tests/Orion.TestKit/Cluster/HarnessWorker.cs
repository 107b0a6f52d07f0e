// One worker of a ClusterHarness: its actor, its fake devices (a recycle opens a new one) and its own program cache.
using Akka.Actor;
using Orion.Engine.Ane;
using Orion.TestKit.Devices;

namespace Orion.TestKit.Cluster;

public sealed class HarnessWorker
{
    private readonly object _gate = new();
    private readonly List<FakeAneDevice> _devices = [];
    private readonly Action<FakeAneDevice>? _setup;
    private readonly int? _budget;

    internal HarnessWorker(string name, string cacheDir, Action<FakeAneDevice>? setup, int? budget)
    {
        Name = name;
        Cache = new ProgramCache(cacheDir);
        _setup = setup;
        _budget = budget;
    }

    public string Name { get; }

    /// <summary>The worker's backoff supervisor (messages to it reach the worker; stopping it stops the worker).</summary>
    public IActorRef Ref { get; internal set; } = null!;

    /// <summary>Completes when the worker's actor (its supervisor) has stopped.</summary>
    public Task Stopped { get; internal set; } = Task.CompletedTask;

    public ProgramCache Cache { get; }

    /// <summary>Every device the worker opened, oldest first (more than one after a compile-budget recycle).</summary>
    public IReadOnlyList<FakeAneDevice> Devices
    {
        get
        {
            lock (_gate) return [.. _devices];
        }
    }

    /// <summary>The device the worker opened last (the one it uses now).</summary>
    public FakeAneDevice Device
    {
        get
        {
            lock (_gate)
                return _devices.Count > 0 ? _devices[^1]
                    : throw new InvalidOperationException($"worker {Name} has not opened a device yet (it opens one when its actor starts)");
        }
    }

    /// <summary>The worker's device factory: a fresh device (and budget) per call, as a fresh device process would have.</summary>
    internal FakeAneDevice OpenDevice()
    {
        var device = new FakeAneDevice(budget: _budget is { } n ? new CompileBudget(n) : null);
        bool first;
        lock (_gate)
        {
            first = _devices.Count == 0;
            _devices.Add(device);
        }
        if (first) _setup?.Invoke(device);
        return device;
    }

    /// <summary>Lets every hanging evaluation return, so the worker's loop can take its stop.</summary>
    internal void ReleaseHangs()
    {
        foreach (var d in Devices) d.ReleaseHangs();
    }
}
