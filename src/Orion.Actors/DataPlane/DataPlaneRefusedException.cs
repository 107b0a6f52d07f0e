// The coordinator and this node will never talk: their certificates are not from one cluster CA, or their builds
// speak different data-plane protocols. `orion worker` exits 3 on it at once instead of retrying.
namespace Orion.Actors.DataPlane;

public sealed class DataPlaneRefusedException : Exception
{
    public DataPlaneRefusedException(string message) : base(message) { }

    public DataPlaneRefusedException(string message, Exception inner) : base(message, inner) { }
}
