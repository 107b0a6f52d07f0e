// Akka.Persistence.TestKit's TestJournal and TestSnapshotStore as the persistence plugins of a test actor system, over
// the Orion base settings: tests then make a write, a recovery or a delete fail on purpose (persistence.Journal ...).
using Akka.Configuration;
using Orion.Actors.Hosting;

namespace Orion.TestKit.Cluster;

public static class TestJournals
{
    public static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.persistence {
          journal {
            plugin = "akka.persistence.journal.test"
            test {
              class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
              plugin-dispatcher = "akka.actor.default-dispatcher"
            }
          }
          snapshot-store {
            plugin = "akka.persistence.snapshot-store.test"
            test {
              class = "Akka.Persistence.TestKit.TestSnapshotStore, Akka.Persistence.TestKit"
              plugin-dispatcher = "akka.actor.default-dispatcher"
            }
          }
        }
        """).WithFallback(OrionAkka.Base);
}
