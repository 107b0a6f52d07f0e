// `orion coordinator` (cli-contract.md): the coordinator of a fleet. Its node joins itself as the seed of an Akka
// cluster (role coordinator) and runs the coordinator as the cluster singleton; its data plane on --listen greets
// workers (GET /v1/hello), serves the weights and takes the gradients — all mutual TLS pinned to the cluster's CA
// when --cert/--ca are given. It serves /status and /metrics on --http, exits 0 once the last step is committed and
// checkpointed after telling the workers; re-running it with the same run directory resumes from the journal.
using System.CommandLine;
using System.Net;
using Orion.Actors.Hosting;
using Orion.Coordinator;
using Orion.Coordinator.Fleet;
using Orion.Coordinator.Hosting;

namespace Orion.Cli.Commands;

internal static class CoordinatorCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var flags = new TrainingFlags();
        var listen = new Option<string>("--listen") { Description = "HOST:PORT of the data plane workers connect to (port 0 picks a free one; the bound address is printed)" };
        var clusterPort = new Option<int?>("--cluster-port") { Description = "port of the Akka cluster node (default 0: a free one; workers learn it from the data plane)" };
        var minWorkers = new Option<int?>("--min-workers") { Description = "workers that must join before the first step (default: --workers)" };
        var http = new Option<string>("--http") { Description = "HOST:PORT to serve GET /status and GET /metrics on" };
        var tls = new TlsFlags();
        var command = new Command("coordinator", "run the coordinator of a fleet of `orion worker` processes");
        flags.AddTo(command);
        command.Options.Add(listen);
        command.Options.Add(clusterPort);
        command.Options.Add(minWorkers);
        command.Options.Add(http);
        tls.AddTo(command);
        command.SetAction(r =>
        {
            var run = ClusterOptions.Bind(r, flags, defaultRunDir: null);
            if (r.GetValue(minWorkers) is { } m) run = run with { MinWorkers = m > 0 ? m : throw new CliUsageException($"--min-workers {m}: expected 1 or more") };
            var endpoint = Endpoints.Parse(r.GetValue(listen) ?? run.Config.Listen ?? throw new CliUsageException("--listen HOST:PORT is required (where workers connect)"), "--listen");
            var identity = tls.Bind(r, run.Config);
            var advertise = r.GetValue(tls.Advertise) ?? run.Config.Advertise
                ?? (endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? Dns.GetHostName() : endpoint.Address.ToString());
            var node = new ClusterNodeOptions
            {
                Role = ClusterNodeOptions.CoordinatorRole,
                Host = endpoint.Address.ToString(),
                PublicHost = advertise,
                Port = r.GetValue(clusterPort) ?? run.Config.ClusterPort ?? 0,
                Seeds = [],
                Identity = identity,
                Settings = run.Config.Akka,
            };
            _ = ClusterNode.ConfigFor(node); // refuses plain TCP beyond loopback before anything starts
            var board = new StatusBoard();
            var httpSpec = r.GetValue(http) ?? run.Config.Http;
            var server = httpSpec is null ? null : StatusServer.StartAsync(Endpoints.Parse(httpSpec, "--http"), board).GetAwaiter().GetResult();
            void Log(string s) { lock (stdout) stdout.WriteLine(s); }
            try
            {
                if (server is not null) stdout.WriteLine($"status on {server.Address}status and {server.Address}metrics");
                return ClusterOptions.RunCoordinator(run, stdout, (settings, ct) => ClusterHost.RunAsync(settings, (system, coordinator) =>
                {
                    var fleet = FleetHost.StartAsync(system, coordinator, endpoint, identity, settings.RunId, Log, board).GetAwaiter().GetResult();
                    Log($"listening for workers on {fleet.Address} ({(identity is null ? "plain TCP, loopback only" : $"mutual TLS, CA {identity.Authority.Subject}")}); cluster node {Akka.Cluster.Cluster.Get(system).SelfAddress}");
                    return fleet;
                }, journal => ClusterNode.Create(node, journal), singleton: true, ct), board);
            }
            finally
            {
                server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
                identity?.Dispose();
            }
        });
        return command;
    }
}
