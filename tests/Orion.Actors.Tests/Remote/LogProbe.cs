// Collects a listener's or retry loop's log lines and lets a test wait for a matching one (signal-driven, no sleeps).
namespace Orion.Actors.Tests.Remote;

internal sealed class LogProbe
{
    readonly object _gate = new();
    readonly List<string> _lines = [];
    readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

    public Action<string> Log => Add;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate) return [.. _lines];
        }
    }

    public void Add(string line)
    {
        List<TaskCompletionSource<string>> done = [];
        lock (_gate)
        {
            _lines.Add(line);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(line)) continue;
                done.Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var tcs in done) tcs.TrySetResult(line);
    }

    /// <summary>The first line (already logged or future) containing every fragment, case-insensitively.</summary>
    public Task<string> WaitForAsync(params string[] fragments)
    {
        bool Match(string line) => fragments.All(f => line.Contains(f, StringComparison.OrdinalIgnoreCase));
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var hit = _lines.FirstOrDefault(Match);
            if (hit is not null) return Task.FromResult(hit);
            _waiters.Add((Match, tcs));
        }
        return tcs.Task.WaitAsync(LinkKit.Timeout);
    }
}
