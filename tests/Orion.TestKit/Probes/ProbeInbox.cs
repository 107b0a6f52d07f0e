// The queue behind every probe: the probe actor adds, the test thread takes with a deadline. Blocking is fine here:
// it is the test's thread, never an actor loop. Reference: Akka.TestKit TestActor queue.
using System.Collections.Concurrent;
using System.Text;

namespace Orion.TestKit;

/// <summary>Messages a probe received, in arrival order.</summary>
internal sealed class ProbeInbox<T>
{
    private readonly BlockingCollection<T> _queue = new(new ConcurrentQueue<T>());

    public void Add(T item) => _queue.Add(item);

    /// <summary>The next item, or false once <paramref name="deadline"/> (UTC) has passed.</summary>
    public bool TryTake(DateTime deadline, out T item)
    {
        var left = deadline - DateTime.UtcNow;
        if (left < TimeSpan.Zero)
            left = TimeSpan.Zero;
        return _queue.TryTake(out item!, left);
    }

    /// <summary>What is still queued, for failure messages (does not remove anything).</summary>
    public T[] Peek() => _queue.ToArray();

    /// <summary>Lists items one per line, at most 20, for a failure message.</summary>
    public static string Describe(IEnumerable<object?> items)
    {
        var text = new StringBuilder();
        int count = 0;
        foreach (var item in items)
        {
            if (++count <= 20)
                text.Append("\n  ").Append(item?.ToString() ?? "null");
        }
        if (count == 0)
            return " (nothing)";
        if (count > 20)
            text.Append("\n  ... and ").Append(count - 20).Append(" more");
        return text.ToString();
    }
}
