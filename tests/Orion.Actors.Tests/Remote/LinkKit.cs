// Shared setup for link tests: options with fixed secrets and the one generous timeout every wait is bounded by.
using Orion.Actors.Remote;

namespace Orion.Actors.Tests.Remote;

internal static class LinkKit
{
    /// <summary>Generous: a slow shared machine must never flake. Tests wait on signals, this only bounds a hang.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];
    public static readonly byte[] OtherSecret = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 11))];

    public static LinkOptions Options(string name, TlsMode tls = TlsMode.Off, byte[]? secret = null) =>
        new() { NodeName = name, Secret = secret ?? Secret, Tls = tls, HandshakeTimeout = Timeout };

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task Within(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> Within<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Timeout);
}
