// `orion coordinator` (cli-contract.md): the coordinator of a fleet. Listens for `orion worker` links (TLS and the
// cluster secret), serves /status and /metrics on --http, exits 0 once the last step is committed and checkpointed
// after telling the workers; re-running it with the same run directory resumes from the journal.
using System.CommandLine;
using Orion.Coordinator;
using Orion.Coordinator.Hosting;

namespace Orion.Cli.Commands;

internal static class CoordinatorCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var flags = new TrainingFlags();
        var listen = new Option<string>("--listen") { Description = "HOST:PORT to accept workers on (port 0 picks a free one; the bound address is printed)" };
        var minWorkers = new Option<int?>("--min-workers") { Description = "workers that must join before the first step (default: --workers)" };
        var http = new Option<string>("--http") { Description = "HOST:PORT to serve GET /status and GET /metrics on" };
        var link = new LinkFlags();
        var command = new Command("coordinator", "run the coordinator of a fleet of `orion worker` processes");
        flags.AddTo(command);
        command.Options.Add(listen);
        command.Options.Add(minWorkers);
        command.Options.Add(http);
        link.AddTo(command);
        command.SetAction(r =>
        {
            var run = ClusterOptions.Bind(r, flags, defaultRunDir: null);
            if (r.GetValue(minWorkers) is { } m) run = run with { MinWorkers = m > 0 ? m : throw new CliUsageException($"--min-workers {m}: expected 1 or more") };
            var endpoint = Endpoints.Parse(r.GetValue(listen) ?? run.Config.Listen ?? throw new CliUsageException("--listen HOST:PORT is required (where workers connect)"), "--listen");
            var linkOptions = link.Bind(r, run.Config, "coordinator", endpoint.Address);
            var board = new StatusBoard();
            var httpSpec = r.GetValue(http) ?? run.Config.Http;
            var server = httpSpec is null ? null : StatusServer.StartAsync(Endpoints.Parse(httpSpec, "--http"), board).GetAwaiter().GetResult();
            try
            {
                if (server is not null) stdout.WriteLine($"status on {server.Address}status and {server.Address}metrics");
                return ClusterOptions.RunCoordinator(run, stdout, (settings, ct) => ClusterHost.RunAsync(settings, (system, coordinator) =>
                {
                    var fleet = new FleetListener(endpoint, linkOptions, system, coordinator, s => { lock (stdout) stdout.WriteLine(s); });
                    lock (stdout) stdout.WriteLine($"listening for workers on {fleet.LocalEndPoint} ({(linkOptions.Secret.Length == 0 ? "no cluster secret" : "cluster secret required")}, TLS {linkOptions.Tls.ToString().ToLowerInvariant()})");
                    return fleet;
                }, ct), board);
            }
            finally
            {
                server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
        return command;
    }
}
