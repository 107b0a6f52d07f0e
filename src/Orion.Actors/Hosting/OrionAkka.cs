// The Akka.NET bootstrap every Orion actor system shares: the `akka` settings of hocon/reference.conf (compiled in;
// logging to stderr, the serializers, the cluster's failure detector and split-brain resolver) and the dedicated
// dispatcher that device work runs on, under the command's own configuration and the journal plugin of the run.
using Akka.Actor;
using Akka.Configuration;
using Orion.Actors.Configuration;
using Orion.Actors.Journal;

namespace Orion.Actors.Hosting;

public static class OrionAkka
{
    /// <summary>The dispatcher of device work (orion.device-dispatcher in reference.conf, a pinned thread per actor).</summary>
    public const string DeviceDispatcher = "orion.device-dispatcher";

    /// <summary>reference.conf: what every actor system starts from.</summary>
    public static Config Base => OrionConfig.Reference;

    /// <summary>An actor system over <paramref name="extra"/> (a journal's settings, a user's file) and the reference.</summary>
    public static ActorSystem Create(string name, Config? extra = null) =>
        ActorSystem.Create(name, extra is null ? Base : extra.WithFallback(Base));

    /// <summary>An actor system whose persistence goes to <paramref name="journal"/> (prepared before this call),
    /// tuned by <paramref name="settings"/> (the command's configuration, whose akka section applies).</summary>
    public static ActorSystem Create(string name, JournalSpec journal, Config? settings = null)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var config = journal.ToConfig();
        return Create(name, settings is null ? config : config.WithFallback(settings));
    }
}
