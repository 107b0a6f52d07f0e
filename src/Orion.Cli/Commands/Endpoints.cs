// HOST:PORT values of --listen, --http and --coordinator: parsed once, with errors that show the expected form.
using System.Globalization;
using System.Net;

namespace Orion.Cli.Commands;

internal static class Endpoints
{
    public static (string Host, int Port) HostAndPort(string value, string option)
    {
        value ??= "";
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            throw new CliUsageException($"{option} '{value}' is not HOST:PORT (e.g. 127.0.0.1:7070 or mac-studio.local:7070)");
        return (value[..colon].Trim('[', ']'), port);
    }

    /// <summary>An address to bind: an IP literal, localhost, or * / 0.0.0.0 for every interface.</summary>
    public static IPEndPoint Parse(string value, string option)
    {
        var (host, port) = HostAndPort(value, option);
        var address = host switch
        {
            "*" or "0.0.0.0" => IPAddress.Any,
            "localhost" => IPAddress.Loopback,
            _ when IPAddress.TryParse(host, out var ip) => ip,
            _ => Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new CliUsageException($"{option} '{value}': the host name '{host}' does not resolve"),
        };
        return new IPEndPoint(address, port);
    }

    /// <summary>The address when <paramref name="host"/> is a loopback literal or localhost, else null.</summary>
    public static IPAddress? TryLoopback(string host) =>
        host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip) ? ip : null;
}
