// The timed side of `step-overhead`: one long zero-cost run in the background, read one committed step at a time. A
// step's time is the interval between two consecutive commits, stamped inside the coordinator, so it covers the whole
// cycle (broadcast, next batch, shard assignment, replies, sum, AdamW, journal, steps.jsonl) and no reader latency.
using System.Diagnostics;
using System.Threading.Channels;

namespace Orion.Cli.Bench;

/// <summary>
/// <see cref="NextStep"/> is the runner's measured action and <see cref="TimeOnce"/> its clock: the clock returns the
/// coordinator's own interval for the step just read, and records the journal's part of it (from each Persist to
/// its event being durable).
/// The run has more steps than the runner can ask for and is cancelled on dispose, so no final checkpoint is timed.
/// </summary>
internal sealed class StepTimeline : IAsyncDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly record struct Mark(long Step, bool Skipped, long Timestamp, long JournalTicks);

    private readonly StepOverheadSize _size;
    private readonly int _steps;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("orion-bench-steps-");
    private readonly Channel<Mark> _marks = Channel.CreateUnbounded<Mark>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<double> _journalSamples = [];
    private long _persistTicks;
    private Task? _run;
    private Mark _last;
    private double _stepSeconds, _journalSeconds;

    /// <summary>A run long enough for every call the runner can make with <paramref name="options"/> (warm-up, timed runs, and the first commit).</summary>
    public StepTimeline(StepOverheadSize size, BenchOptions options)
    {
        _size = size;
        _steps = (int)Math.Min(int.MaxValue - 1L, (long)options.MaxRuns + options.WarmupRuns + 2);
    }

    /// <summary>Journal seconds of each timed step, in the runner's order.</summary>
    public IReadOnlyList<double> JournalSamples => _journalSamples;

    /// <summary>Waits for the next committed step; the first call starts the run and takes its first commit as the origin.</summary>
    public void NextStep()
    {
        if (_run is null)
        {
            Start();
            _last = Read();
        }
        var mark = Read();
        if (mark.Step != _last.Step + 1)
            throw new InvalidOperationException($"step {mark.Step} committed after step {_last.Step}; expected step {_last.Step + 1}");
        if (mark.Skipped)
            throw new InvalidOperationException($"step {mark.Step} was skipped as an overflow; the zero-cost gradient ({ZeroCostCluster.GradientValue}) should keep every step finite");
        _stepSeconds = Stopwatch.GetElapsedTime(_last.Timestamp, mark.Timestamp).TotalSeconds;
        _journalSeconds = (double)(mark.JournalTicks - _last.JournalTicks) / Stopwatch.Frequency;
        _last = mark;
    }

    public double TimeOnce(Action measured)
    {
        ArgumentNullException.ThrowIfNull(measured);
        measured();
        _journalSamples.Add(_journalSeconds);
        return _stepSeconds;
    }

    private void Start()
    {
        var marks = _marks.Writer;
        _run = Task.Run(() => ZeroCostCluster.RunAsync(_size, _steps, _dir.FullName,
            r => marks.TryWrite(new Mark(r.Step, r.Skipped, Stopwatch.GetTimestamp(), Interlocked.Read(ref _persistTicks))),
            ticks => Interlocked.Add(ref _persistTicks, ticks), _stop.Token));
        _run.ContinueWith(t => marks.TryComplete(t.Exception?.GetBaseException()
            ?? new InvalidOperationException($"the run ended after its {_steps} steps while the benchmark wanted more")), TaskScheduler.Default);
    }

    private Mark Read()
    {
        using var timeout = new CancellationTokenSource(StepTimeout);
        try
        {
            return _marks.Reader.ReadAsync(timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException e)
        {
            throw new InvalidOperationException($"the coordinator stopped after step {_last.Step}: {e.InnerException?.Message ?? e.Message}", e);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"no step was committed within {StepTimeout.TotalSeconds:0} s after step {_last.Step}; the coordinator or a zero-cost worker hangs");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            try
            {
                await _run.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Cancelled as intended, or failed: NextStep already turned a failure into the benchmark's error.
            }
        }
        _stop.Dispose();
        ZeroCostCluster.DeleteQuietly(_dir);
    }
}
