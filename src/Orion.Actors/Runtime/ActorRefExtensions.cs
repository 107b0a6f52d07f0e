// Request/response on top of Tell: a temporary reply reference is built into the message; the reply completes the task.
// Reference: Akka.NET Futures.Ask / Akka.Typed AskPattern.
namespace Orion.Actors;

/// <summary>Ask: send a message carrying a reply reference and await the reply.</summary>
public static class ActorRefExtensions
{
    /// <summary>
    /// Builds the message with a temporary reply reference, tells it to <paramref name="target"/> and waits for the
    /// first reply. Throws <see cref="AskTimeoutException"/> after <paramref name="timeout"/>, or
    /// OperationCanceledException when <paramref name="ct"/> fires. Awaiting an Ask inside a handler blocks that actor
    /// until the reply (handlers are awaited one at a time), so two actors asking each other wait for the timeout.
    /// </summary>
    public static async Task<TReply> Ask<T, TReply>(
        this ActorRef<T> target, Func<ActorRef<TReply>, T> build, TimeSpan timeout, CancellationToken ct = default)
        where T : class where TReply : class
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(build);
        if (timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout,
                $"Ask to '{target.Path}': timeout must be positive (or Timeout.InfiniteTimeSpan)");

        var promise = new PromiseActorRef<TReply>(target.OwnerSystem, target.Path);
        var message = build(promise) ?? throw new ArgumentException(
            $"Ask to '{target.Path}': the build function returned null; expected a {typeof(T).Name}", nameof(build));
        target.Tell(message);
        try
        {
            return await promise.Reply.WaitAsync(timeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            promise.Expire();
            throw new AskTimeoutException(target.Path, message.GetType(), timeout);
        }
        catch (OperationCanceledException)
        {
            promise.Expire();
            throw;
        }
    }
}
