// The Akka.NET bootstrap every Orion actor system shares: warnings and errors only, on stderr (the CLI's stdout is
// read by scripts), the journal serializer, the dedicated dispatcher that device work runs on, and the journal plugin
// of the run.
using Akka.Actor;
using Akka.Configuration;
using Orion.Actors.Journal;

namespace Orion.Actors.Hosting;

public static class OrionAkka
{
    /// <summary>
    /// Device work (compiles, evaluations that may take many seconds) runs on a thread of its own per actor, so it never
    /// holds a thread of the default dispatcher that the coordinator, timers and the cluster's heartbeats run on.
    /// </summary>
    public const string DeviceDispatcher = "orion.device-dispatcher";

    public static readonly Config Base = ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = WARNING
          stdout-loglevel = OFF
          loggers = ["{{typeof(StderrLogger).AssemblyQualifiedName}}"]
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor {
            serializers { orion-journal = "{{typeof(RunEventSerializer).AssemblyQualifiedName}}" }
            serialization-bindings {
              "{{typeof(RunEvent).AssemblyQualifiedName}}" = orion-journal
              "{{typeof(RunSnapshot).AssemblyQualifiedName}}" = orion-journal
            }
          }
        }
        orion.device-dispatcher {
          type = PinnedDispatcher
        }
        """);

    /// <summary>An actor system with the Orion base settings, over <paramref name="extra"/> (e.g. a journal's settings).</summary>
    public static ActorSystem Create(string name, Config? extra = null) =>
        ActorSystem.Create(name, extra is null ? Base : extra.WithFallback(Base));

    /// <summary>An actor system whose persistence goes to <paramref name="journal"/> (prepared before this call).</summary>
    public static ActorSystem Create(string name, JournalSpec journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return Create(name, journal.ToConfig());
    }
}
