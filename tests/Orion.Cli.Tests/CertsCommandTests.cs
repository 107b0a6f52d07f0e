// `orion certs create-ca` and `create-node`: the files written (one line each on stdout), and clear refusals for an
// existing CA, an unsafe node name and a missing CA.
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace Orion.Cli.Tests;

public sealed class CertsCommandTests
{
    [Fact]
    public void CreateCaThenCreateNode_NewFolder_WritesTheFilesAndOneLineEach()
    {
        using var tmp = new TempDir();
        var dir = tmp.At("certs");

        var ca = Cli.Ok("certs", "create-ca", dir);
        var node = Cli.Ok("certs", "create-node", dir, "mac-1", "--host", "mac-1.local", "--host", "10.0.0.5");

        Assert.Equal([$"wrote {Path.Combine(dir, "ca.crt")}", $"wrote {Path.Combine(dir, "ca.key")}"], Lines(ca.Out));
        Assert.Equal([$"wrote {Path.Combine(dir, "mac-1.pfx")}"], Lines(node.Out));
        Assert.Equal("", ca.Err + node.Err);
        using var leaf = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(dir, "mac-1.pfx"), "");
        Assert.True(leaf.HasPrivateKey);
        Assert.Equal("CN=mac-1", leaf.Subject);
        var san = Assert.Single(leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["mac-1", "mac-1.local"], san.EnumerateDnsNames());
        Assert.Equal("10.0.0.5", Assert.Single(san.EnumerateIPAddresses()).ToString());
    }

    [Fact]
    public void CreateCa_Twice_SecondRefusesToOverwriteNamingTheFile()
    {
        using var tmp = new TempDir();
        var dir = tmp.At("certs");
        Cli.Ok("certs", "create-ca", dir);
        var key = File.ReadAllText(Path.Combine(dir, "ca.key"));

        var r = Cli.Run("certs", "create-ca", dir);

        Cli.AssertUserError(r, Path.Combine(dir, "ca.crt"), "already exists");
        Assert.Equal(key, File.ReadAllText(Path.Combine(dir, "ca.key")));
    }

    [Fact]
    public void CreateNode_UnsafeName_RefusedNamingIt()
    {
        using var tmp = new TempDir();
        var dir = tmp.At("certs");
        Cli.Ok("certs", "create-ca", dir);

        var r = Cli.Run("certs", "create-node", dir, "../mac-1");

        Cli.AssertUserError(r, "'../mac-1'", "safe file name");
        Assert.Equal(2, Directory.GetFiles(dir).Length);
    }

    [Fact]
    public void CreateNode_NoCaInFolder_RefusedNamingCaCrt()
    {
        using var tmp = new TempDir();

        var r = Cli.Run("certs", "create-node", tmp.Root, "mac-1");

        Cli.AssertUserError(r, Path.Combine(tmp.Root, "ca.crt"), "does not exist", "create-ca");
        Assert.False(File.Exists(tmp.At("mac-1.pfx")));
    }

    [Fact]
    public void CreateNode_Twice_SecondRefusesToOverwrite()
    {
        using var tmp = new TempDir();
        Cli.Ok("certs", "create-ca", tmp.Root);
        Cli.Ok("certs", "create-node", tmp.Root, "mac-1");

        var r = Cli.Run("certs", "create-node", tmp.Root, "mac-1");

        Cli.AssertUserError(r, tmp.At("mac-1.pfx"), "already exists");
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}
