// Base class of every actor: one message at a time, each handler awaited before the next, state touched only here.
// Reference: Akka.NET ReceiveActor lifecycle (PreStart, Receive, PostStop); signals as in Akka.Typed.
namespace Orion.Actors;

/// <summary>
/// An actor handling messages of type <typeparamref name="T"/>. The runtime creates an instance from the factory given
/// at Spawn (and a new one at every restart) and calls its methods one at a time from the actor's own loop.
/// </summary>
public abstract class Actor<T> where T : class
{
    private ActorContext<T>? _context;

    /// <summary>The actor's view of the runtime; available from PreStartAsync on (not in the constructor).</summary>
    protected ActorContext<T> Context => _context ?? throw new InvalidOperationException(
        $"{GetType().Name}.Context was used before the actor started; it is available from PreStartAsync on " +
        "(hint: move the code from the constructor into PreStartAsync)");

    /// <summary>This actor's own reference.</summary>
    protected ActorRef<T> Self => Context.Self;

    /// <summary>Runs before the first message (and after every restart, on the new instance).</summary>
    protected virtual Task PreStartAsync() => Task.CompletedTask;

    /// <summary>The initial behaviour; <see cref="ActorContext{T}.Become"/> switches to another.</summary>
    protected abstract Task ReceiveAsync(T message);

    /// <summary>Terminated (of watched actors) and ChildFailed; delivered before pending user messages.</summary>
    protected virtual Task OnSignalAsync(Signal signal) => Task.CompletedTask;

    /// <summary>Runs after all children have stopped, when this instance stops or is replaced by a restart.</summary>
    protected virtual Task PostStopAsync() => Task.CompletedTask;

    // The cell drives the lifecycle through these; they stay internal so user code cannot call them out of order.
    internal void Attach(ActorContext<T> context) => _context = context;

    internal Task InvokePreStartAsync() => PreStartAsync();

    internal Func<T, Task> InitialBehavior => ReceiveAsync;

    internal Task InvokeSignalAsync(Signal signal) => OnSignalAsync(signal);

    internal Task InvokePostStopAsync() => PostStopAsync();
}
