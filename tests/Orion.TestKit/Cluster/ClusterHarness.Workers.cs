// The harness's workers (spawned and watched as `orion train` does in single-node mode) and its waits: each races a
// signal against the run's end and a scaled timeout, and fails with the coordinator's recent notes.
using System.Text;
using Akka.Actor;
using Orion.Actors.Protocol;
using Orion.Engine.Model.Training;
using Orion.TestKit.Devices;
using Orion.Worker;

namespace Orion.TestKit.Cluster;

public sealed partial class ClusterHarness
{
    private readonly List<HarnessWorker> _workers = [];

    /// <summary>How long a wait lasts before it fails (times ORION_TEST_TIMEOUT_SCALE).</summary>
    public static TimeSpan DefaultWait { get; } = TimeSpan.FromSeconds(60);

    public IReadOnlyList<HarnessWorker> Workers => WorkersSnapshot();

    public HarnessWorker Worker(string name) =>
        WorkersSnapshot().FirstOrDefault(w => w.Name == name)
        ?? throw new ArgumentException($"no worker named '{name}'; the harness has {string.Join(", ", WorkersSnapshot().Select(w => w.Name))}", nameof(name));

    private HarnessWorker[] WorkersSnapshot()
    {
        lock (_workers) return [.. _workers];
    }

    /// <summary>
    /// Spawns a worker (named worker-N by default) and tells the coordinator it joined; callable from a step hook.
    /// <paramref name="setup"/> (else <see cref="ClusterHarnessOptions.SetupDevice"/>) sees its first device before it prepares.
    /// </summary>
    public HarnessWorker AddWorker(string? name = null, Action<FakeAneDevice>? setup = null)
    {
        var coordinator = Coordinator;
        HarnessWorker worker;
        lock (_workers)
        {
            name ??= $"worker-{_workers.Count}";
            var configure = setup ?? (Options.SetupDevice is { } s ? d => s(name, d) : null);
            worker = new HarnessWorker(name, _temp.At("cache-" + name), configure, Options.CompileBudget?.Invoke(name));
            _workers.Add(worker);
        }
        var options = new WorkerOptions { Name = worker.Name, OpenDevice = worker.OpenDevice, Cache = worker.Cache };
        var actor = System.ActorOf(WorkerActor.Supervised(options, Tap, worker.Name), worker.Name);
        worker.Ref = actor;
        worker.Stopped = actor.WatchAsync();
        coordinator.Tell(new WorkerJoined(worker.Name, actor, "in-process"));
        return worker;
    }

    /// <summary>Stops a worker's actor (after the message it is handling; the coordinator watches it and learns it left);
    /// completes once it has stopped. From a step hook, do not wait on the returned task: the coordinator's loop is blocked.</summary>
    public Task StopWorker(string name)
    {
        var worker = Worker(name);
        System.Stop(worker.Ref);
        return worker.Stopped;
    }

    public Task<StepResult> WaitForStepAsync(long step) =>
        WaitAsync(Steps.FirstAsync(s => s.Step >= step), $"step {step} to be committed");

    public Task<string> WaitForNoteAsync(string contains) =>
        WaitAsync(Notes.FirstAsync(n => n.Contains(contains, StringComparison.Ordinal)), $"a coordinator note containing '{contains}'");

    /// <summary>The first worker reply of type <typeparamref name="T"/> matching <paramref name="match"/>, past or future.</summary>
    public async Task<T> WaitForReplyAsync<T>(Func<T, bool>? match = null) where T : CoordinatorMessage =>
        (T)await WaitAsync(Replies.FirstAsync(m => m is T t && (match is null || match(t))), $"a {typeof(T).Name} from a worker").ConfigureAwait(false);

    /// <summary>The final state; throws the coordinator's error if the run stopped without completing.</summary>
    public async Task<TrainingState> WaitForCompletionAsync()
    {
        var wait = TestTimeouts.Dilated(DefaultWait);
        try
        {
            return await Completion.WaitAsync(wait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the run did not complete within {wait.TotalSeconds:0} s{Diagnostics()}");
        }
    }

    /// <summary>The error that stopped the coordinator; fails if the run completed instead.</summary>
    public async Task<Exception> WaitForFailureAsync()
    {
        var wait = TestTimeouts.Dilated(DefaultWait);
        try
        {
            await ((Task)Completion).WaitAsync(wait).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!Completion.IsCompleted)
        {
            throw new TimeoutException($"the run neither failed nor completed within {wait.TotalSeconds:0} s{Diagnostics()}");
        }
        catch (Exception)
        {
            // The outcome is read below.
        }
        if (Completion.IsCompletedSuccessfully)
            throw new InvalidOperationException($"expected the run to stop with an error, but it completed at step {Completion.Result.Step}{Diagnostics()}");
        return Completion.Exception?.InnerException ?? new TaskCanceledException("the run was cancelled");
    }

    /// <summary>Waits for <paramref name="signal"/>; fails early, with the reason, if the run ends first.</summary>
    public async Task<T> WaitAsync<T>(Task<T> signal, string what)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var wait = TestTimeouts.Dilated(DefaultWait);
        try
        {
            await Task.WhenAny(signal, Completion).WaitAsync(wait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"waited {wait.TotalSeconds:0} s for {what}, in vain{Diagnostics()}");
        }
        if (signal.IsCompleted) return await signal.ConfigureAwait(false);
        var why = Completion.IsCompletedSuccessfully ? "completed" : $"stopped ({Completion.Exception?.InnerException?.Message})";
        throw new InvalidOperationException($"the run {why} before {what}{Diagnostics()}", Completion.Exception?.InnerException);
    }

    /// <summary>Where the run is: phase, step, the last notes and worker failures (for failure messages).</summary>
    public string Diagnostics()
    {
        var s = Status.Current;
        var b = new StringBuilder($"; phase '{s.Phase}' at step {s.Step}/{s.Steps}; last notes:");
        foreach (var n in Notes.Items.TakeLast(15)) b.Append("\n  ").Append(n);
        return b.ToString();
    }
}
