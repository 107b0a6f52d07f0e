// The IR checker run between compiler passes: names the first node that breaks an invariant.
using Orion.Engine.Tensors;

namespace Orion.Engine.Graph;

public static class GraphValidator
{
    /// <summary>Throws <see cref="GraphException"/> naming the pass and the node when the graph is malformed.</summary>
    public static void Validate(Graph g, string afterPass)
    {
        var seen = new HashSet<Node>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in g.Nodes)
        {
            string Fail(string what) => $"graph '{g.Name}' is invalid after pass '{afterPass}': %{n.Name} ({n.Op}) {what}";
            if (!names.Add(n.Name)) throw new GraphException(Fail("reuses a name (SSA: each name is assigned once)"));
            foreach (var i in n.Inputs)
                if (!seen.Contains(i)) throw new GraphException(Fail($"uses %{i.Name}, which is not defined before it"));
            switch (n.Op)
            {
                case OpKind.Input:
                    if (n.Inputs.Count != 0) throw new GraphException(Fail("is an input but has operands"));
                    break;
                case OpKind.Const:
                    if (n.Data is null || n.Data.Length != n.Type.Shape.ElementCount)
                        throw new GraphException(Fail($"holds {n.Data?.Length ?? 0} values for {n.Type}"));
                    break;
                default:
                    TensorType inferred;
                    try
                    {
                        inferred = ShapeInference.Infer(n.Op, n.Inputs.Select(i => i.Type).ToList(), n.Attributes);
                    }
                    catch (GraphException e)
                    {
                        throw new GraphException(Fail(e.Message));
                    }
                    if (inferred != n.Type) throw new GraphException(Fail($"is typed {n.Type} but its operands give {inferred}"));
                    break;
            }
            seen.Add(n);
        }
        var outNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, node) in g.Outputs)
        {
            if (!seen.Contains(node)) throw new GraphException($"graph '{g.Name}' is invalid after pass '{afterPass}': output '{name}' refers to %{node.Name}, which is not in the graph");
            if (!outNames.Add(name)) throw new GraphException($"graph '{g.Name}' is invalid after pass '{afterPass}': output '{name}' is declared twice");
        }
        if (g.Outputs.Count == 0) throw new GraphException($"graph '{g.Name}' has no outputs (a program must return at least one value)");
    }
}
