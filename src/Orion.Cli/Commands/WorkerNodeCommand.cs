// `orion worker` (cli-contract.md): one worker owning this machine's ANE (or the emulator). Retries the connection
// until the coordinator is up; exits 0 when the coordinator ends the run, and at once with exit 3 and a clear
// message when refused (wrong cluster secret, incompatible protocol version) — retrying could never succeed.
using System.CommandLine;
using Orion.Actors.Remote;
using Orion.Worker.Remote;

namespace Orion.Cli.Commands;

internal static class WorkerNodeCommand
{
    public const int Refused = 3;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var config = new Option<string>("--config") { Description = "a HOCON file (see hocon/worker.conf); flags override it" };
        var coordinator = new Option<string>("--coordinator") { Description = "HOST:PORT of the coordinator" };
        var device = DeviceOption.Create("auto");
        device.DefaultValueFactory = null;
        var cacheDir = ClusterOptions.CacheDirOption();
        var name = new Option<string>("--name") { Description = "this worker's name (default: host name and process id)" };
        var link = new LinkFlags();
        var command = new Command("worker", "run one worker of a fleet: joins the coordinator and computes shards on this machine's device")
            { config, coordinator, device, cacheDir, name };
        link.AddTo(command);
        command.SetAction(r =>
        {
            var cfg = ClusterConfig.Load(r.GetValue(config));
            var target = r.GetValue(coordinator) ?? cfg.Coordinator ?? throw new CliUsageException("--coordinator HOST:PORT is required (the address `orion coordinator --listen` printed)");
            var (host, port) = Endpoints.HostAndPort(target, "--coordinator");
            var workerName = r.GetValue(name) ?? cfg.Name ?? $"{Environment.MachineName}-{Environment.ProcessId}";
            var linkOptions = link.Bind(r, cfg, workerName, Endpoints.TryLoopback(host));
            var worker = ClusterOptions.Worker(workerName, ClusterOptions.Device(r.GetValue(device), cfg), ClusterOptions.CacheDir(r.GetValue(cacheDir), cfg), cfg, stderr);
            void Log(string s) { lock (stdout) stdout.WriteLine(s); }
            try
            {
                WorkerNode.RunAsync(new WorkerNodeOptions(host, port, linkOptions, worker, Log)).GetAwaiter().GetResult();
                Log($"worker {workerName}: the run is over");
                return 0;
            }
            catch (LinkRefusedException e)
            {
                stderr.WriteLine($"orion worker: {e.Message}");
                return Refused;
            }
        });
        return command;
    }
}
