// Creates the actor system of one fleet node: Akka.Remote over DotNetty TCP (mutual TLS pinned to the cluster's CA
// whenever certificates are given), Akka.Cluster with roles and seed nodes, the phi-accrual failure detector, and a
// split-brain resolver that keeps the coordinator's side: a partition downs the workers cut off from it, never the
// coordinator. A downed worker's system shuts down; `orion worker` then starts a new one and rejoins.
using System.Globalization;
using System.Net;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;
using Orion.Actors.Protocol;
using Orion.Actors.Security;

namespace Orion.Actors.Hosting;

public static class ClusterNode
{
    public const string SystemName = "orion";

    /// <summary>The Akka address of a node: akka.ssl.tcp when TLS is on, akka.tcp otherwise.</summary>
    public static string Address(string host, int port, bool tls) =>
        $"{(tls ? "akka.ssl.tcp" : "akka.tcp")}://{SystemName}@{host}:{port.ToString(CultureInfo.InvariantCulture)}";

    public static Config ConfigFor(ClusterNodeOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        bool tls = o.Identity is not null;
        if (!tls && (!IsLoopback(o.Host) || (o.PublicHost is { } ph && !IsLoopback(ph)) || o.Seeds.Any(s => !IsLoopback(HostOf(s)))))
            throw new ArgumentException($"plain TCP is allowed only when every address is loopback ({o.Host}, seeds {string.Join(", ", o.Seeds)}); give --cert NODE.pfx --ca CA.crt (see `orion certs`)");
        var seeds = string.Join(", ", o.Seeds.Select(s => "\"" + Address(HostOf(s), PortOf(s), tls) + "\""));
        string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        var hocon = $$"""
            akka {
              actor {
                provider = cluster
                # Only the protocol's own types cross the network; everything else is refused, not guessed at.
                serialization-settings.allow-unregistered-types = false
                serializers { orion-protocol = "{{typeof(ProtocolSerializer).AssemblyQualifiedName}}" }
                serialization-bindings { "{{typeof(IRemoteMessage).AssemblyQualifiedName}}" = orion-protocol }
              }
              remote {
                log-remote-lifecycle-events = off
                dot-netty.tcp {
                  hostname = "{{o.Host}}"
                  {{(o.PublicHost is { } pub ? $"public-hostname = \"{pub}\"" : "")}}
                  port = {{o.Port}}
                  enable-ssl = {{(tls ? "on" : "off")}}
                  # Control messages only (tensors travel on the data plane); a message over this is dropped by Akka
                  # with the association left up, so the limit is generous next to the largest (a shard's token ids).
                  maximum-frame-size = 16MiB
                  send-buffer-size = 16MiB
                  receive-buffer-size = 16MiB
                  ssl {
                    suppress-validation = off
                    require-mutual-authentication = on
                  }
                }
              }
              cluster {
                roles = ["{{o.Role}}"]
                seed-nodes = [{{seeds}}]
                failure-detector {
                  heartbeat-interval = {{Seconds(o.HeartbeatInterval)}}
                  acceptable-heartbeat-pause = {{Seconds(o.AcceptableHeartbeatPause)}}
                  threshold = 8.0
                }
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = keep-oldest
                  stable-after = {{Seconds(o.StableAfter)}}
                  keep-oldest {
                    role = "{{ClusterNodeOptions.CoordinatorRole}}"
                    down-if-alone = off
                  }
                }
                run-coordinated-shutdown-when-down = on
                # The coordinator's proxy looks for the singleton often while the node starts, and quietly: a run
                # that has ended leaves no singleton, which is expected, not a warning.
                singleton-proxy {
                  singleton-identification-interval = 200ms
                  log-singleton-identification-failure = off
                }
              }
              coordinated-shutdown.run-by-clr-shutdown-hook = off
            }
            """;
        return ConfigurationFactory.ParseString(hocon);
    }

    /// <summary>The node's actor system; <paramref name="extra"/> (a journal's settings) is layered under the node's.</summary>
    public static ActorSystem Create(ClusterNodeOptions o, Config? extra = null)
    {
        var config = ConfigFor(o).WithFallback(extra ?? Config.Empty).WithFallback(OrionAkka.Base);
        ActorSystemSetup setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config));
        if (o.Identity is { } id)
        {
            // Our validator replaces Akka's: trust is the cluster's CA alone, never the machine's trust store.
            CertificateValidationCallback pinned = (cert, _, peer, _, log) =>
            {
                if (id.Validate(cert, out var reason)) return true;
                log.Warning("refused the TLS peer {0}: {1}", peer, reason);
                return false;
            };
            setup = setup.And(new DotNettySslSetup(id.Certificate, suppressValidation: false, requireMutualAuthentication: true, pinned));
        }
        var system = ActorSystem.Create(SystemName, setup);
        // The coordinator is its own seed: with a port picked at bind time it cannot be written into seed-nodes.
        if (o.Seeds.Count == 0) Akka.Cluster.Cluster.Get(system).Join(Akka.Cluster.Cluster.Get(system).SelfAddress);
        return system;
    }

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    private static string HostOf(string hostPort) => hostPort[..LastColon(hostPort)].Trim('[', ']');

    private static int PortOf(string hostPort) =>
        int.TryParse(hostPort[(LastColon(hostPort) + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and < 65536
            ? p : throw new ArgumentException($"seed node '{hostPort}' has no valid port; expected HOST:PORT");

    private static int LastColon(string hostPort) =>
        hostPort.LastIndexOf(':') is int i and > 0 ? i : throw new ArgumentException($"seed node '{hostPort}' is not HOST:PORT");
}
