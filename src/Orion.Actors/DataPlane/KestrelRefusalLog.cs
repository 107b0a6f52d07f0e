// Kestrel turns away malformed HTTP and failed TLS handshakes itself, and says so only through ILogger, mostly at
// Debug. The data plane has no logging framework of its own (its host passes one Action<string>), so this provider
// hands exactly those refusals, and anything at Warning or above, to that action; the rest of ASP.NET's chatter
// (a line per connection and per request) stays silent.
using Microsoft.Extensions.Logging;

namespace Orion.Actors.DataPlane;

internal sealed class KestrelRefusalLog(Action<string> log) : ILoggerProvider
{
    /// <summary>Kestrel's category for requests it refuses as malformed (bad request line, header, body framing).</summary>
    internal const string BadRequestsCategory = "Microsoft.AspNetCore.Server.Kestrel.BadRequests";

    /// <summary>The TLS layer's category: failed and timed-out handshakes.</summary>
    internal const string HttpsCategory = "Microsoft.AspNetCore.Server.Kestrel.Https.Internal.HttpsConnectionMiddleware";

    public ILogger CreateLogger(string categoryName) => new Forwarder(categoryName, log);

    public void Dispose() { }

    /// <summary>Whether a line of <paramref name="category"/> at <paramref name="level"/> tells of a refused peer or a fault.</summary>
    internal static bool Wanted(string category, LogLevel level, EventId id) =>
        level >= LogLevel.Warning
        || (level >= LogLevel.Debug && category == BadRequestsCategory)
        // Established handshakes are logged at Debug too; only failures are refusals.
        || (level >= LogLevel.Debug && category == HttpsCategory && id.Name is not ("HttpsConnectionEstablished" or "LocatedDevelopmentCertificate"));

    private sealed class Forwarder(string category, Action<string> log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= LogLevel.Warning || (logLevel >= LogLevel.Debug && category is BadRequestsCategory or HttpsCategory);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!Wanted(category, logLevel, eventId)) return;
            var message = formatter(state, exception);
            // The innermost exception's message is the reason (e.g. "Unexpected end of request content", or what
            // was wrong with a TLS record behind "Authentication failed, see inner exception"); the stack is Kestrel's.
            var cause = exception;
            while (cause?.InnerException is not null) cause = cause.InnerException;
            if (cause is not null && !message.Contains(cause.Message, StringComparison.Ordinal)) message += $" ({cause.GetType().Name}: {cause.Message})";
            try
            {
                log($"data plane: {(logLevel >= LogLevel.Warning ? logLevel.ToString().ToLowerInvariant() + ": " : "")}{message}");
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // A log sink that is gone (stderr closed at shutdown) must never fault the connection that is logging.
            }
        }
    }
}
