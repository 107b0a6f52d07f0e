// The node identity flags of a fleet: --cert NODE.pfx --ca CA.crt (or orion.cluster.tls in HOCON), written by
// `orion certs`. With them every connection (Akka.Remote and the data plane) is mutual TLS pinned to that CA; without
// them plain TCP is allowed only when every address is loopback (ClusterNode checks).
using System.CommandLine;
using Orion.Actors.Security;

namespace Orion.Cli.Commands;

internal sealed class TlsFlags
{
    public Option<string> Cert { get; } = new("--cert") { Description = "this node's certificate and key (NODE.pfx from `orion certs create-node`)" };
    public Option<string> Ca { get; } = new("--ca") { Description = "the cluster's CA certificate (ca.crt from `orion certs create-ca`); peers must be signed by it" };
    public Option<string> Advertise { get; } = new("--advertise") { Description = "the host name or address other nodes reach this node at (default: the listen address, or this machine's address toward the coordinator)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Cert);
        command.Options.Add(Ca);
        command.Options.Add(Advertise);
    }

    /// <summary>The node identity, or null when neither flag nor file names one; one without the other is a usage error.</summary>
    public NodeIdentity? Bind(ParseResult r, ClusterConfig config)
    {
        var cert = r.GetValue(Cert) ?? config.Cert;
        var ca = r.GetValue(Ca) ?? config.Ca;
        if (cert is null && ca is null) return null;
        if (cert is null || ca is null)
            throw new CliUsageException($"{(cert is null ? "--ca" : "--cert")} was given without {(cert is null ? "--cert" : "--ca")}; mutual TLS needs both this node's certificate (--cert NODE.pfx) and the cluster's CA (--ca ca.crt)");
        return NodeIdentity.Load(cert, ca);
    }
}
