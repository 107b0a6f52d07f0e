// The journal failed in a way its user must see: a file that is not a journal, a schema from a newer build, a server
// that cannot be reached, a write that did not become durable. Messages name the journal and carry a hint.
namespace Orion.Actors.Journal;

public class JournalException : Exception
{
    public JournalException(string message) : base(message) { }

    public JournalException(string message, Exception? innerException) : base(message, innerException) { }
}
