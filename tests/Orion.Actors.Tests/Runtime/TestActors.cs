// Small actors shared by the runtime tests: one that reports its whole life (start, messages, signals, stop) to a
// probe and can spawn children, and one that forwards. Reference: Akka.TestKit test actors.
using Orion.Actors;

namespace Orion.Actors.Tests.Runtime;

/// <summary>Messages the reporting actors understand.</summary>
internal abstract record ChildMsg;

/// <summary>Reply "label:instance:text" to the report probe.</summary>
internal sealed record Work(string Text) : ChildMsg;

/// <summary>Throw InvalidOperationException(Reason).</summary>
internal sealed record Crash(string Reason) : ChildMsg;

/// <summary>Numbers actor instances so a test can tell a restarted instance from the old one.</summary>
internal sealed class Counter
{
    private int _value;

    public int Next() => Interlocked.Increment(ref _value);
}

/// <summary>
/// Reports "label:start:n", "label:n:text" for Work, every signal as is, and "label:stop:n" to
/// <paramref name="report"/>; throws on Crash. <paramref name="onStart"/> runs in PreStart (e.g. to spawn children).
/// </summary>
internal sealed class ReportingActor(
    string label, ActorRef<object> report, Counter? instances = null, Action<ActorContext<ChildMsg>>? onStart = null)
    : Actor<ChildMsg>
{
    private readonly int _instance = instances?.Next() ?? 1;

    protected override Task PreStartAsync()
    {
        report.Tell($"{label}:start:{_instance}");
        onStart?.Invoke(Context);
        return Task.CompletedTask;
    }

    protected override Task ReceiveAsync(ChildMsg message)
    {
        switch (message)
        {
            case Work work:
                report.Tell($"{label}:{_instance}:{work.Text}");
                return Task.CompletedTask;
            case Crash crash:
                throw new InvalidOperationException(crash.Reason);
            default:
                throw new ArgumentException($"unexpected {message}");
        }
    }

    protected override Task OnSignalAsync(Signal signal)
    {
        report.Tell(signal);
        return Task.CompletedTask;
    }

    protected override Task PostStopAsync()
    {
        report.Tell($"{label}:stop:{_instance}");
        return Task.CompletedTask;
    }
}

/// <summary>Tells every message to <paramref name="target"/>.</summary>
internal sealed class Forwarder<T>(ActorRef<T> target) : Actor<T> where T : class
{
    protected override Task ReceiveAsync(T message)
    {
        target.Tell(message);
        return Task.CompletedTask;
    }
}
