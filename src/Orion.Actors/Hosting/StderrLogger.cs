// Akka's own log lines go to stderr, one line each: the CLI's stdout carries the step lines and notes that scripts
// read, and a user needs Akka's warning, not its stack trace (ORION_DEBUG=1 adds the exception's details).
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace Orion.Actors.Hosting;

public sealed class StderrLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private static readonly bool Debug = Environment.GetEnvironmentVariable("ORION_DEBUG") == "1";

    public StderrLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e =>
        {
            var line = $"akka {e.LogLevel().ToString().Replace("Level", "", StringComparison.Ordinal).ToLowerInvariant()} [{e.LogSource}]: {e.Message}";
            if (e.Cause is { } cause) line += Debug ? Environment.NewLine + cause : $" ({cause.GetType().Name}: {cause.Message})";
            Console.Error.WriteLine(line);
        });
    }
}
