// GET /status and GET /metrics on `--http HOST:PORT` (issue 5, item 10), served by Kestrel from the StatusBoard; the
// actor is never asked, so a slow scrape cannot stall training.
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orion.Coordinator;

public sealed class StatusServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StatusServer(WebApplication app, Uri address) => (_app, Address) = (app, address);

    /// <summary>The bound address (port 0 resolves to the real port).</summary>
    public Uri Address { get; }

    public static async Task<StatusServer> StartAsync(IPEndPoint endpoint, StatusBoard board, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(board);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint));
        var app = builder.Build();
        app.MapGet("/status", () => Results.Text(StatusFormat.ToJson(board.Current), "application/json"));
        app.MapGet("/metrics", () => Results.Text(StatusFormat.ToPrometheus(board.Current), "text/plain; version=0.0.4"));
        await app.StartAsync(ct).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StatusServer(app, new Uri(bound));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
