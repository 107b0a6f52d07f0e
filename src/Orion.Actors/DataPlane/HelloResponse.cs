// What GET /v1/hello answers: the data plane's protocol version, the run, and the Akka address a worker joins (the
// coordinator's node, the cluster's seed). It is a worker's first request, so a refused certificate or an
// incompatible build is found out before anything joins the cluster.
namespace Orion.Actors.DataPlane;

public sealed record HelloResponse(string RunId, string ClusterAddress, int Protocol = 0);
