// An in-process cluster for tests (architecture.md, Cluster): an Akka actor system with the CoordinatorActor, its
// SQLite journal in a temp run dir, and N WorkerActors with their own FakeAneDevice and ProgramCache; callbacks and
// replies become waitable SignalLogs.
using Akka.Actor;
using Orion.Actors.Hosting;
using Orion.Actors.Journal;
using Orion.Actors.Protocol;
using Orion.Coordinator;
using Orion.Coordinator.Hosting;
using Orion.Engine.Data;
using Orion.Engine.Model.Checkpoints;
using Orion.Engine.Model.Training;

namespace Orion.TestKit.Cluster;

/// <summary>Create, register step hooks, Start, wait on signals, read the journal back; DisposeAsync cleans up all.</summary>
public sealed partial class ClusterHarness : IAsyncDisposable
{
    public const string CoordinatorName = "coordinator";

    private readonly TempFolder _temp;
    private readonly TaskCompletionSource<TrainingState> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<long, List<Action>> _hooks = [];
    private IActorRef? _coordinator, _tap;
    private int _disposed;

    private ClusterHarness(ClusterHarnessOptions options, TempFolder temp, string runDir, JournalSpec journal)
    {
        Options = options;
        _temp = temp;
        RunDir = runDir;
        Journal = journal;
        System = OrionAkka.Create("cluster", journal);
    }

    public ClusterHarnessOptions Options { get; }
    public string RunDir { get; }
    public string RunId => Options.RunId;
    public JournalSpec Journal { get; }
    public ActorSystem System { get; }
    public StatusBoard Status { get; } = new();

    /// <summary>The coordinator's notes (joins, failures, checkpoints, resumes), in order.</summary>
    public SignalLog<string> Notes { get; } = new();

    /// <summary>Every step the coordinator committed (or replayed and verified), in order.</summary>
    public SignalLog<StepResult> Steps { get; } = new();

    /// <summary>Every message the workers sent to the coordinator, in the order the tap received them.</summary>
    public SignalLog<CoordinatorMessage> Replies { get; } = new();

    /// <summary>The run's outcome: the final state, or the error that stopped the coordinator.</summary>
    public Task<TrainingState> Completion => _completion.Task;

    /// <summary>The run's guardian (it forwards to the coordinator, whose failures end <see cref="Completion"/>).</summary>
    public IActorRef Coordinator => _coordinator ?? throw NotStarted();

    /// <summary>What workers hold as the coordinator: a CoordinatorTap recording into <see cref="Replies"/>.</summary>
    public IActorRef Tap => _tap ?? throw NotStarted();

    /// <summary>The journal of a run directory ("sqlite:RUNDIR/journal.db"), for reading or forging it after disposal.</summary>
    public static JournalSpec JournalSpecFor(string runDir) => JournalSpec.Parse(JournalSpec.SqlitePrefix + Path.Combine(runDir, "journal.db"));

    /// <summary>Opens the journal and the actor system; nothing runs until <see cref="Start"/>.</summary>
    public static async Task<ClusterHarness> CreateAsync(ClusterHarnessOptions? options = null)
    {
        options ??= new ClusterHarnessOptions();
        var temp = new TempFolder();
        try
        {
            var runDir = options.RunDir ?? temp.At("run");
            Directory.CreateDirectory(runDir);
            var journal = JournalSpecFor(runDir);
            await journal.PrepareAsync(options.RunId).ConfigureAwait(false);
            return new ClusterHarness(options, temp, runDir, journal);
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    /// <summary>Create + Start, for tests that need no step hooks.</summary>
    public static async Task<ClusterHarness> StartAsync(ClusterHarnessOptions? options = null)
    {
        var harness = await CreateAsync(options).ConfigureAwait(false);
        harness.Start();
        return harness;
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the coordinator's loop right after step <paramref name="step"/> is journaled and
    /// before its weights go out and the next step is announced: a deterministic point "between steps". Blocking in it
    /// holds the run; an exception from it stops the coordinator (and fails <see cref="Completion"/>).
    /// </summary>
    public void AtStep(long step, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_hooks)
        {
            if (!_hooks.TryGetValue(step, out var list)) _hooks[step] = list = [];
            list.Add(action);
        }
    }

    /// <summary>Spawns the coordinator (it recovers or starts the run) and the initial workers.</summary>
    public void Start()
    {
        if (_coordinator is not null) throw new InvalidOperationException("the harness was already started");
        var o = Options;
        var settings = new CoordinatorSettings
        {
            RunDir = RunDir,
            RunId = RunId,
            Request = new TrainingRequest { Model = o.Model, Steps = o.Steps, Batch = o.Batch, Seq = o.Seq, CheckpointEvery = o.CheckpointEvery },
            Journal = Journal,
            Shards = o.Shards,
            MinWorkers = o.MinWorkers ?? Math.Max(1, o.Workers),
            ShardTimeout = o.ShardTimeout,
            JournalRetention = o.JournalRetention,
            Encoder = spec => spec == "byte" ? ByteTokenizer.Instance.Encode
                : throw new ArgumentException($"tokenizer '{spec}': the cluster harness knows only 'byte' (the built-in corpus)", nameof(spec)),
            Note = Notes.Add,
            Progress = OnProgress,
            Status = Status,
        };
        _coordinator = System.ActorOf(RunGuardian.Props(settings, _completion), "run");
        _tap = System.ActorOf(CoordinatorTap.Props(_coordinator, Replies), "tap");
        for (int i = 0; i < o.Workers; i++) AddWorker();
    }

    private void OnProgress(StepResult result, TrainingOptions options)
    {
        Steps.Add(result);
        List<Action>? hooks;
        lock (_hooks) _hooks.Remove(result.Step, out hooks);
        foreach (var hook in hooks ?? []) hook();
        if (Options.CrashAfterStep == result.Step) throw new SimulatedCrashException(result.Step);
    }

    /// <summary>Every event of the run's journal, decoded (read by an actor system of its own).</summary>
    public Task<IReadOnlyList<RunEvent>> ReadEventsAsync() => JournalEvents.ReadAsync(Journal, RunId).WaitAsync(TestTimeouts.Dilated(DefaultWait));

    /// <summary>The weights hash of the newest complete checkpoint in the run directory.</summary>
    public string FinalWeightsHash() => WeightsHashOf(RunDir);

    public static string WeightsHashOf(string runDir)
    {
        var latest = LoadedCheckpoint.Latest(Path.Combine(runDir, "checkpoints"))
            ?? throw new InvalidOperationException($"{runDir} holds no complete checkpoint; expected checkpoints/step-*/ with a manifest (did the run finish?)");
        return LoadedCheckpoint.FromFolder(latest, withOptimizer: false).WeightsHash();
    }

    /// <summary>Releases hanging devices, stops every actor (the journal with them) and deletes the temp folders.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        TimeoutException? hung = null;
        try
        {
            foreach (var w in WorkersSnapshot()) w.ReleaseHangs();
            var wait = TestTimeouts.Dilated(TimeSpan.FromSeconds(30));
            try
            {
                await System.Terminate().WaitAsync(wait).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                hung = new TimeoutException($"the cluster's actors did not stop within {wait.TotalSeconds:0} s; expected every worker to finish its shard (hint: a device still hangs){Diagnostics()}");
            }
            System.Dispose();
        }
        finally
        {
            _temp.Dispose();
        }
        if (hung is not null) throw hung;
    }

    private static InvalidOperationException NotStarted() => new("the harness has not been started; call Start() (or create it with StartAsync)");
}
