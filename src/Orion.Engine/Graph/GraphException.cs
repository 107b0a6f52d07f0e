// Errors in building or validating a graph: wrong shapes, dangling nodes, broken invariants.
namespace Orion.Engine.Graph;

public sealed class GraphException(string message) : Exception(message);
