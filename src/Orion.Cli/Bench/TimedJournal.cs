// An IJournal decorator that adds up the time spent in AppendAsync: how `step-overhead` tells the journal's share of a
// step (the coordinator persists StepCommitted before acting, so that time is inside every step).
using System.Diagnostics;
using Orion.Actors.Persistence;

namespace Orion.Cli.Bench;

/// <summary>Delegates everything to <paramref name="inner"/> (and owns it); <see cref="AppendTicks"/> only grows.</summary>
internal sealed class TimedJournal(IJournal inner) : IJournal
{
    private long _appendTicks;

    /// <summary>Stopwatch ticks spent inside AppendAsync so far (failed appends included).</summary>
    public long AppendTicks => Interlocked.Read(ref _appendTicks);

    public string Description => inner.Description;

    public async Task AppendAsync(string streamId, IReadOnlyList<JournalEvent> events, CancellationToken ct = default)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            await inner.AppendAsync(streamId, events, ct).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Add(ref _appendTicks, Stopwatch.GetTimestamp() - start);
        }
    }

    public Task<long> HighestSequenceAsync(string streamId, CancellationToken ct = default) => inner.HighestSequenceAsync(streamId, ct);

    public IAsyncEnumerable<JournalEvent> ReadAsync(string streamId, long fromSequence, CancellationToken ct = default) => inner.ReadAsync(streamId, fromSequence, ct);

    public Task SaveSnapshotAsync(string streamId, SnapshotRecord snapshot, CancellationToken ct = default) => inner.SaveSnapshotAsync(streamId, snapshot, ct);

    public Task<SnapshotRecord?> LoadSnapshotAsync(string streamId, CancellationToken ct = default) => inner.LoadSnapshotAsync(streamId, ct);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
