// An actor's runtime: two unbounded single-reader channels (system messages first, then user messages) and one loop
// that awaits every handler before taking the next message, so actor state is only ever touched by that loop.
// Reference: Akka.NET ActorCell + Mailbox (system queue priority, suspension), System.Threading.Channels.
using System.Diagnostics;
using System.Threading.Channels;

namespace Orion.Actors;

/// <summary>Where an actor is in its life; changed only inside the loop.</summary>
internal enum CellState
{
    /// <summary>Creating the instance and running PreStart.</summary>
    Starting,
    /// <summary>Processing signals, timers and user messages.</summary>
    Running,
    /// <summary>Failed; user messages wait until the parent restarts or stops it.</summary>
    Suspended,
    /// <summary>Restarting: waiting for its children to stop before replacing the instance.</summary>
    Restarting,
    /// <summary>Stopping: waiting for its children to stop before PostStop.</summary>
    Stopping,
    /// <summary>Gone; the loop has exited.</summary>
    Terminated,
}

/// <summary>The cell of an actor with message type <typeparamref name="T"/>; see the partial files for each concern.</summary>
internal sealed partial class ActorCell<T> : ActorCell where T : class
{
    private static readonly UnboundedChannelOptions s_single = new() { SingleReader = true, AllowSynchronousContinuations = false };

    private readonly Channel<SystemMessage> _systemQueue = Channel.CreateUnbounded<SystemMessage>(s_single);
    private readonly Channel<T> _mailbox = Channel.CreateUnbounded<T>(s_single);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<Actor<T>> _factory;
    private readonly LocalActorRef<T> _self;
    private readonly ActorContext<T> _context;

    // Loop-only state: read and written only by RunAsync and what it awaits.
    private CellState _state = CellState.Starting;
    private Actor<T>? _instance;
    private Func<T, Task>? _behavior;
    private readonly Queue<Signal> _pendingSignals = new();
    private readonly Queue<TimerHandle> _dueTimers = new();
    private Task<bool>? _systemWait;
    private Task<bool>? _mailboxWait;
    private volatile Exception? _stopCause;

    public ActorCell(ActorSystem system, ActorCell? parent, string name, Func<Actor<T>> factory)
        : base(system, parent, name)
    {
        _factory = factory;
        _self = new LocalActorRef<T>(this);
        _context = new ActorContext<T>(this);
    }

    public LocalActorRef<T> Self => _self;

    public override IInternalActorRef SelfRef => _self;

    public override Task Stopped => _stopped.Task;

    public override Exception? StopCause => _stopCause;

    /// <summary>Enqueues a user message; after termination it is a dead letter.</summary>
    public void Post(T message)
    {
        if (!_mailbox.Writer.TryWrite(message))
            System.CountDeadLetters(1);
    }

    public override void SendSystem(SystemMessage message)
    {
        if (!_systemQueue.Writer.TryWrite(message))
            HandleDeadSystemMessage(message);
    }

    public void Start() => _ = Task.Run(RunAsync);

    /// <summary>From the context, inside the loop; a restart resets it to the new instance's ReceiveAsync.</summary>
    public void Become(Func<T, Task> behavior) => _behavior = behavior;

    private async Task RunAsync()
    {
        EnterLoop();
        try
        {
            await StartInstanceAsync().ConfigureAwait(false);
            while (_state != CellState.Terminated)
            {
                if (_systemQueue.Reader.TryRead(out var system))
                    await HandleSystemAsync(system).ConfigureAwait(false);
                else if (_state != CellState.Running || !await TryRunNextUserWorkAsync().ConfigureAwait(false))
                    await WaitForWorkAsync().ConfigureAwait(false);
            }
        }
        catch (Exception bug)
        {
            // Handler exceptions never get here (InvokeAsync catches them); this is a runtime bug. Report it and
            // terminate so WhenStopped and DisposeAsync do not hang.
            Debug.Fail($"actor loop of {Path} crashed: {bug}");
            System.RaiseFailure(_self, bug);
            _stopCause ??= bug;
            CompleteTermination();
        }
    }

    /// <summary>Signals first, then due timers, then the mailbox; false when there was nothing to do.</summary>
    private async ValueTask<bool> TryRunNextUserWorkAsync()
    {
        Debug.Assert(_state == CellState.Running && _instance is not null && _behavior is not null);
        if (_pendingSignals.TryDequeue(out var signal))
        {
            var instance = _instance;
            await InvokeAsync(() => instance.InvokeSignalAsync(signal)).ConfigureAwait(false);
            return true;
        }
        if (_dueTimers.TryDequeue(out var timer))
        {
            // Checked here, in the loop, so a Dispose made by the actor before this point always wins.
            if (!timer.IsCancelled)
                await InvokeBehaviorAsync((T)timer.Message).ConfigureAwait(false);
            return true;
        }
        if (_mailbox.Reader.TryRead(out var message))
        {
            await InvokeBehaviorAsync(message).ConfigureAwait(false);
            return true;
        }
        return false;
    }

    private Task InvokeBehaviorAsync(T message)
    {
        var behavior = _behavior!;
        return InvokeAsync(() => behavior(message));
    }

    /// <summary>Runs user code; an exception (sync or async) fails the actor instead of the loop.</summary>
    private async Task InvokeAsync(Func<Task> handler)
    {
        try
        {
            await handler().ConfigureAwait(false);
        }
        catch (Exception error)
        {
            Fail(error);
        }
    }

    /// <summary>Waits for a system message, or while running for a user message too. Pending waits are kept across
    /// iterations because a single-reader channel allows only one outstanding WaitToReadAsync.</summary>
    private async Task WaitForWorkAsync()
    {
        _systemWait ??= _systemQueue.Reader.WaitToReadAsync().AsTask();
        if (_state == CellState.Running)
        {
            _mailboxWait ??= _mailbox.Reader.WaitToReadAsync().AsTask();
            await Task.WhenAny(_systemWait, _mailboxWait).ConfigureAwait(false);
        }
        else
        {
            await _systemWait.ConfigureAwait(false);
        }
        if (_systemWait.IsCompleted)
            _systemWait = null;
        if (_mailboxWait is { IsCompleted: true })
            _mailboxWait = null;
    }

    private async Task HandleSystemAsync(SystemMessage message)
    {
        switch (message)
        {
            case StopActor stop:
                await BeginStopAsync(stop.Cause).ConfigureAwait(false);
                break;
            case RestartActor:
                await BeginRestartAsync().ConfigureAwait(false);
                break;
            case ChildFailure failure:
                await HandleChildFailureAsync(failure.Child, failure.Error).ConfigureAwait(false);
                break;
            case ChildStopped stopped:
                await HandleChildStoppedAsync(stopped.Child).ConfigureAwait(false);
                break;
            case WatchRequest watch:
                AddWatcher(watch.Watcher);
                break;
            case UnwatchRequest unwatch:
                _watchers.Remove(unwatch.Watcher);
                break;
            case DeathNotice notice:
                HandleDeathNotice(notice);
                break;
            case TimerFired fired:
                HandleTimerFired(fired.Timer);
                break;
            default:
                Debug.Fail($"unknown system message {message.GetType().Name}");
                break;
        }
    }
}
