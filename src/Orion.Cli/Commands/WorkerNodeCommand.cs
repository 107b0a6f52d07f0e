// `orion worker` (cli-contract.md): one worker owning this machine's ANE (or the emulator). Retries until the
// coordinator is up, rejoins by itself after a restart or a partition, exits 0 when the coordinator ends the run, and
// at once with exit 3 and one clear sentence when refused (a certificate from another CA, none, or an incompatible
// build) — retrying could never succeed.
using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Orion.Actors.DataPlane;
using Orion.Worker.Remote;

namespace Orion.Cli.Commands;

internal static class WorkerNodeCommand
{
    public const int Refused = 3;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var config = new Option<string>("--config") { Description = "a HOCON file (see hocon/worker.conf); flags override it" };
        var coordinator = new Option<string>("--coordinator") { Description = "HOST:PORT of the coordinator's --listen address" };
        var device = DeviceOption.Create("auto");
        device.DefaultValueFactory = null;
        var cacheDir = ClusterOptions.CacheDirOption();
        var name = new Option<string>("--name") { Description = "this worker's name (default: host name and process id)" };
        var seeds = new Option<string[]>("--seed-node") { Description = "HOST:PORT of another Akka seed node beside the coordinator (repeatable; orion.cluster.seed-nodes)", AllowMultipleArgumentsPerToken = false };
        var tls = new TlsFlags();
        var command = new Command("worker", "run one worker of a fleet: joins the coordinator's cluster and computes shards on this machine's device")
            { config, coordinator, device, cacheDir, name, seeds };
        tls.AddTo(command);
        command.SetAction(r =>
        {
            var cfg = ClusterConfig.Load(r.GetValue(config));
            var target = r.GetValue(coordinator) ?? cfg.Coordinator ?? throw new CliUsageException("--coordinator HOST:PORT is required (the address `orion coordinator --listen` printed)");
            var (host, port) = Endpoints.HostAndPort(target, "--coordinator");
            var workerName = r.GetValue(name) ?? cfg.Name ?? $"{Environment.MachineName}-{Environment.ProcessId}";
            var identity = tls.Bind(r, cfg);
            var advertise = r.GetValue(tls.Advertise) ?? cfg.Advertise ?? LocalAddressToward(host);
            var worker = ClusterOptions.Worker(workerName, ClusterOptions.Device(r.GetValue(device), cfg), ClusterOptions.CacheDir(r.GetValue(cacheDir), cfg), cfg, stderr);
            void Log(string s) { lock (stdout) stdout.WriteLine(s); }
            try
            {
                WorkerNode.RunAsync(new WorkerNodeOptions
                {
                    Coordinator = new UriBuilder(identity is null ? "http" : "https", host, port).Uri,
                    Host = advertise,
                    Identity = identity,
                    Worker = worker,
                    Log = Log,
                    Settings = cfg.Akka,
                    ExtraSeeds = [.. cfg.SeedNodes, .. r.GetValue(seeds) ?? []],
                }).GetAwaiter().GetResult();
                Log($"worker {workerName}: the run is over");
                return 0;
            }
            catch (DataPlaneRefusedException e)
            {
                stderr.WriteLine($"orion worker: refused: {e.Message}");
                return Refused;
            }
            finally
            {
                identity?.Dispose();
            }
        });
        return command;
    }

    /// <summary>The local address the OS would use to reach <paramref name="host"/> (loopback for a loopback coordinator).</summary>
    private static string LocalAddressToward(string host)
    {
        var target = IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host).FirstOrDefault()
            ?? throw new CliUsageException($"--coordinator host '{host}' does not resolve; check the name, or give an address");
        if (IPAddress.IsLoopback(target)) return target.ToString();
        using var probe = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        probe.Connect(target, 9); // no packet is sent: connecting a UDP socket only picks the route
        return ((IPEndPoint)probe.LocalEndPoint!).Address.ToString();
    }
}
