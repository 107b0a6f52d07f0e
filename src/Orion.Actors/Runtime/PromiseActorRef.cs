// The temporary reply reference behind Ask: the first Tell completes the ask; later ones (or any after a timeout)
// are dead letters. Reference: Akka.NET PromiseActorRef.
namespace Orion.Actors;

/// <summary>A one-shot reference whose Tell completes <see cref="Reply"/>.</summary>
internal sealed class PromiseActorRef<TReply> : ActorRef<TReply> where TReply : class
{
    private readonly TaskCompletionSource<TReply> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorSystem? _system;

    public PromiseActorRef(ActorSystem? system, string targetPath)
    {
        _system = system;
        Path = system?.NextTempPath() ?? $"{targetPath}#ask";
    }

    public override string Path { get; }

    public Task<TReply> Reply => _reply.Task;

    internal override ActorSystem? OwnerSystem => _system;

    public override void Tell(TReply message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_reply.TrySetResult(message))
            _system?.CountDeadLetters(1);
    }

    /// <summary>The asker gave up: later replies are dead letters.</summary>
    public void Expire() => _reply.TrySetCanceled();
}
