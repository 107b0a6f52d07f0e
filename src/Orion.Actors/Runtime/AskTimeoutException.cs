// Thrown by Ask when no reply arrived in time; names the target, the message type and the timeout.
// Reference: Akka.NET AskTimeoutException.
namespace Orion.Actors;

/// <summary>An Ask got no reply within its timeout.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    public AskTimeoutException(string targetPath, Type messageType, TimeSpan timeout)
        : base($"Ask to '{targetPath}' with {messageType.Name} got no reply within {timeout.TotalSeconds:0.###} s; " +
               "expected the target to Tell the reply reference (hint: the target may be stopped — see " +
               "ActorSystem.DeadLetters — busy with a long handler, or not replying to this message)")
    {
        TargetPath = targetPath;
        MessageType = messageType;
        Timeout = timeout;
    }

    /// <summary>Path of the actor that was asked.</summary>
    public string TargetPath { get; }

    /// <summary>Type of the message that was sent.</summary>
    public Type MessageType { get; }

    /// <summary>How long the asker waited.</summary>
    public TimeSpan Timeout { get; }
}
