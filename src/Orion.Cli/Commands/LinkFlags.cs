// Flags of the links between nodes: the cluster secret, TLS and the tensor encoding. Across hosts a secret is
// required (a coordinator or worker without one refuses to start); on loopback it may be left out for local trials.
using System.CommandLine;
using System.Net;
using Orion.Actors.Remote;

namespace Orion.Cli.Commands;

internal sealed class LinkFlags
{
    public Option<string> SecretFile { get; } = new("--secret-file") { Description = "file holding the shared cluster secret (required beyond loopback)" };
    public Option<string> Tls { get; } = new("--tls") { Description = "auto (default: TLS unless on loopback), on or off" };
    public Option<string> TensorEncoding { get; } = new("--tensor-encoding") { Description = "fp32 (default, exact) or bf16 (half the bytes; results then differ from single-node mode)" };

    public void AddTo(Command command)
    {
        command.Options.Add(SecretFile);
        command.Options.Add(Tls);
        command.Options.Add(TensorEncoding);
    }

    public LinkOptions Bind(ParseResult r, ClusterConfig config, string nodeName, IPAddress? address)
    {
        var secretFile = r.GetValue(SecretFile) ?? config.SecretFile;
        byte[] secret = [];
        if (secretFile is not null)
        {
            if (!File.Exists(secretFile)) throw new CliUsageException($"--secret-file '{secretFile}' does not exist; create it with e.g. `head -c 32 /dev/urandom | base64 > {secretFile}` and copy it to every node");
            secret = System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(secretFile).Trim());
            if (secret.Length == 0) throw new CliUsageException($"--secret-file '{secretFile}' is empty; put the shared cluster secret in it");
        }
        bool loopback = address is not null && (IPAddress.IsLoopback(address));
        if (secret.Length == 0 && !loopback)
            throw new CliUsageException("--secret-file is required when nodes talk beyond loopback: without a shared secret any host could join the cluster or pose as the coordinator");
        var tls = (r.GetValue(Tls) ?? config.Tls ?? "auto").ToLowerInvariant() switch
        {
            "auto" => TlsMode.Auto,
            "on" => TlsMode.On,
            "off" => TlsMode.Off,
            var v => throw new CliUsageException($"--tls '{v}' is not a mode; expected auto, on or off"),
        };
        var encoding = (r.GetValue(TensorEncoding) ?? config.TensorEncoding ?? "fp32").ToLowerInvariant() switch
        {
            "fp32" => Orion.Actors.Remote.TensorEncoding.Fp32,
            "bf16" => Orion.Actors.Remote.TensorEncoding.Bf16,
            var v => throw new CliUsageException($"--tensor-encoding '{v}' is not an encoding; expected fp32 or bf16"),
        };
        return config.ApplyLinkTimings(new LinkOptions { NodeName = nodeName, Secret = secret, Tls = tls, Encoding = encoding });
    }
}
