// A peer broke the frame protocol (bad length, kind, layout or sequence); the link closes with this message as its reason.
namespace Orion.Actors.Remote;

internal sealed class LinkProtocolException(string message) : Exception(message);
