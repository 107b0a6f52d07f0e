// `orion certs create-ca DIR` and `orion certs create-node DIR NAME [--host H]...`: the cluster's private CA and the
// node certificates it issues for mutual TLS between nodes. One line per file written.
using System.CommandLine;
using Orion.Actors.Security;

namespace Orion.Cli.Commands;

internal static class CertsCommand
{
    public static Command Create(TextWriter stdout)
    {
        var caDir = new Argument<string>("DIR") { Description = "folder for ca.crt and ca.key (created when missing; existing files are never overwritten)" };
        var createCa = new Command("create-ca", "create the cluster's private certificate authority (once per cluster; keep ca.key off the nodes)") { caDir };
        createCa.SetAction(r =>
        {
            var dir = r.GetValue(caDir)!;
            CommandChecks.OutputFolder(dir, "DIR");
            foreach (var path in CertificateAuthority.CreateCa(dir)) stdout.WriteLine($"wrote {path}");
            return 0;
        });

        var nodeDir = new Argument<string>("DIR") { Description = "folder holding ca.crt and ca.key; NAME.pfx is written there" };
        var name = new Argument<string>("NAME") { Description = "the node's name: its certificate's common name and DNS name, and the file name (letters, digits, '.', '-', '_')" };
        var hosts = new Option<string[]>("--host") { Description = "a further DNS name or IP address of the node, once per name (e.g. --host mac-studio.local --host 192.168.1.20)", AllowMultipleArgumentsPerToken = false };
        var createNode = new Command("create-node", "issue a node certificate (NAME.pfx: key, certificate and CA) from the CA in DIR") { nodeDir, name, hosts };
        createNode.SetAction(r =>
        {
            var path = CertificateAuthority.CreateNode(r.GetValue(nodeDir)!, r.GetValue(name)!, r.GetValue(hosts) ?? []);
            stdout.WriteLine($"wrote {path}");
            return 0;
        });

        return new Command("certs", "create the cluster CA and node certificates for mutual TLS") { createCa, createNode };
    }
}
