// The certificates `exchange-*-tls` runs with: a throwaway cluster CA in a temp folder (never the home folder) and two
// node certificates from it, one for the coordinator's side and one for the workers', loaded the way `orion
// coordinator` and `orion worker` load theirs. The data plane and its raw SslStream reference use the same two, so
// both handshake and encrypt alike (ECDSA P-256, the TLS version and cipher the platform negotiates).
using Orion.Actors.Security;

namespace Orion.Cli.Bench;

internal sealed class DataPlaneExchangeIdentities : IDisposable
{
    private DataPlaneExchangeIdentities(NodeIdentity server, NodeIdentity client) => (Server, Client) = (server, client);

    public NodeIdentity Server { get; }

    public NodeIdentity Client { get; }

    public static DataPlaneExchangeIdentities Create()
    {
        var dir = Directory.CreateTempSubdirectory("orion-bench-certs-");
        NodeIdentity? server = null;
        try
        {
            CertificateAuthority.CreateCa(dir.FullName);
            var ca = Path.Combine(dir.FullName, CertificateAuthority.CertificateFile);
            server = NodeIdentity.Load(CertificateAuthority.CreateNode(dir.FullName, "bench-coordinator", ["127.0.0.1", "localhost"]), ca);
            var client = NodeIdentity.Load(CertificateAuthority.CreateNode(dir.FullName, "bench-worker", ["127.0.0.1", "localhost"]), ca);
            return new DataPlaneExchangeIdentities(server, client);
        }
        catch
        {
            server?.Dispose();
            throw;
        }
        finally
        {
            // Loaded identities keep their keys in memory; the files (a CA key among them) are not needed any more.
            dir.Delete(recursive: true);
        }
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
    }
}
