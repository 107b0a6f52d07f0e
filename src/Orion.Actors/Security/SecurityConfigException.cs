// A node's TLS identity cannot be used: a missing or corrupt certificate or key file, a certificate without its key,
// one from another CA, or one outside its validity period. Messages name the file and say how to fix it.
namespace Orion.Actors.Security;

public sealed class SecurityConfigException : Exception
{
    public SecurityConfigException(string message) : base(message) { }

    public SecurityConfigException(string message, Exception? innerException) : base(message, innerException) { }
}
