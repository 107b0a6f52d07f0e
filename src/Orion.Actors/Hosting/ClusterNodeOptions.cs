// Where and how one node of a fleet joins the Akka cluster: its role, the address Akka.Remote binds, the seed nodes,
// and the node identity that mutual TLS presents and checks (null only for an all-loopback trial without TLS).
using Orion.Actors.Security;

namespace Orion.Actors.Hosting;

public sealed record ClusterNodeOptions
{
    public const string CoordinatorRole = "coordinator";
    public const string WorkerRole = "worker";

    /// <summary><see cref="CoordinatorRole"/> or <see cref="WorkerRole"/>.</summary>
    public required string Role { get; init; }

    /// <summary>The host Akka.Remote binds and advertises (an address the other nodes can reach).</summary>
    public required string Host { get; init; }

    /// <summary>The address other nodes use when <see cref="Host"/> is a wildcard such as 0.0.0.0.</summary>
    public string? PublicHost { get; init; }

    /// <summary>0 picks a free port; the coordinator's is the fleet's seed, which workers learn from its hello.</summary>
    public int Port { get; init; }

    /// <summary>Seed nodes as host:port; empty: this node is the seed and joins itself (the coordinator).</summary>
    public required IReadOnlyList<string> Seeds { get; init; }

    /// <summary>Mutual TLS pinned to the cluster's CA; null runs plain TCP (allowed only when every address is loopback).</summary>
    public NodeIdentity? Identity { get; init; }

    /// <summary>
    /// The command's configuration (a user's file over reference.conf): its akka section tunes the node, e.g. the
    /// failure detector's akka.cluster.failure-detector.acceptable-heartbeat-pause. Null: reference.conf alone.
    /// </summary>
    public Akka.Configuration.Config? Settings { get; init; }
}
