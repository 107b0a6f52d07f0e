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
        var seeds = string.Join(", ", o.Seeds.Select(s => "\"" + SeedAddress(s, tls) + "\""));
        // Only what depends on this node is set here; everything else is reference.conf's (or the user's file's).
        // Certificate validation is not left to a file: it is on, mutual and pinned to the CA, always.
        var hocon = $$"""
            akka {
              actor.provider = cluster
              remote.dot-netty.tcp {
                hostname = "{{o.Host}}"
                {{(o.PublicHost is { } pub ? $"public-hostname = \"{pub}\"" : "")}}
                port = {{o.Port}}
                enable-ssl = {{(tls ? "on" : "off")}}
                ssl {
                  suppress-validation = off
                  require-mutual-authentication = on
                }
              }
              cluster {
                roles = ["{{o.Role}}"]
                seed-nodes = [{{seeds}}]
              }
            }
            """;
        return ConfigurationFactory.ParseString(hocon);
    }

    /// <summary>The node's actor system: its own settings over <paramref name="extra"/> (a journal's settings), over
    /// the command's configuration (<see cref="ClusterNodeOptions.Settings"/>), over reference.conf.</summary>
    public static ActorSystem Create(ClusterNodeOptions o, Config? extra = null)
    {
        var config = ConfigFor(o).WithFallback(extra ?? Config.Empty).WithFallback(o.Settings ?? Config.Empty).WithFallback(OrionAkka.Base);
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

    /// <summary>A seed as HOST:PORT, or as a full Akka address (akka.ssl.tcp://orion@host:port), taken as it is.</summary>
    private static string SeedAddress(string seed, bool tls)
    {
        if (!seed.Contains("://", StringComparison.Ordinal)) return Address(HostOf(seed), PortOf(seed), tls);
        var address = Akka.Actor.Address.Parse(seed);
        if (address.System != SystemName || address.Host is null || address.Port is null)
            throw new ArgumentException($"seed node '{seed}' is not an address of an Orion node; expected HOST:PORT or {Address("host", 7071, tls)}");
        return address.ToString();
    }

    private static string HostOf(string seed) => seed.Contains("://", StringComparison.Ordinal)
        ? Akka.Actor.Address.Parse(seed).Host ?? ""
        : seed[..LastColon(seed)].Trim('[', ']');

    private static int PortOf(string hostPort) =>
        int.TryParse(hostPort[(LastColon(hostPort) + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and < 65536
            ? p : throw new ArgumentException($"seed node '{hostPort}' has no valid port; expected HOST:PORT");

    private static int LastColon(string hostPort) =>
        hostPort.LastIndexOf(':') is int i and > 0 ? i : throw new ArgumentException($"seed node '{hostPort}' is not HOST:PORT");
}
