// An append whose first sequence is not the stream's highest + 1: another writer got there first (a second
// coordinator on the same run), or the caller's view of the stream is stale. Akka.Persistence stops the actor here.
namespace Orion.Actors.Persistence;

public class JournalConcurrencyException : JournalException
{
    public JournalConcurrencyException(string message) : base(message) { }

    public JournalConcurrencyException(string message, Exception? innerException) : base(message, innerException) { }
}
