// An append-only log that tests can wait on: "the first item matching P, whether it already happened or happens later".
// It turns the coordinator's callbacks (Note, Progress) and the workers' replies into signals, so tests never sleep.
namespace Orion.TestKit.Cluster;

/// <summary>Thread-safe: <see cref="Add"/> may be called from any actor's loop; waiters complete asynchronously.</summary>
public sealed class SignalLog<T>
{
    private readonly object _gate = new();
    private readonly List<T> _items = [];
    private readonly List<(Func<T, bool> Match, TaskCompletionSource<T> Done)> _waiters = [];

    /// <summary>Everything added so far, in order (a copy).</summary>
    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_gate) return [.. _items];
        }
    }

    public void Add(T item)
    {
        List<TaskCompletionSource<T>> hits = [];
        lock (_gate)
        {
            _items.Add(item);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(item)) continue;
                hits.Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        // Completed outside the lock; continuations run asynchronously so the caller (an actor's loop) never runs test code.
        foreach (var done in hits) done.TrySetResult(item);
    }

    /// <summary>The first item (past or future) matching <paramref name="match"/>; never times out by itself.</summary>
    public Task<T> FirstAsync(Func<T, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        lock (_gate)
        {
            foreach (var item in _items)
                if (match(item)) return Task.FromResult(item);
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task;
        }
    }
}
