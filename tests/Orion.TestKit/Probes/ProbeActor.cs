// The actor behind a TestProbe: a real actor (so it can be watched, stopped and asked), which only records messages.
// Reference: Akka.TestKit TestActor.
using Orion.Actors;

namespace Orion.TestKit;

/// <summary>Adds every message to the probe's inbox.</summary>
internal sealed class ProbeActor<T>(ProbeInbox<T> inbox) : Actor<T> where T : class
{
    protected override Task ReceiveAsync(T message)
    {
        inbox.Add(message);
        return Task.CompletedTask;
    }
}
