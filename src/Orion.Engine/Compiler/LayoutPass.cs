// Pass 3, layout: fix the program's interface geometry. Outputs become live named nodes (R14), inputs and outputs
// take alphabetical binding order (R19, R03), and every surface gets its allocation size: at least the profile's
// minimum (R04), all outputs equal (R02), inputs per the profile's rule (R18). Data stays packed from byte 0 (R20).
using Orion.Engine.Ane;
using Orion.Engine.Graph;
using Orion.Engine.Mil;

namespace Orion.Engine.Compiler;

public static class LayoutPass
{
    public static void Run(PassContext ctx)
    {
        var g = ctx.Graph;
        MakeOutputsLive(g);
        NameOutputs(g);
        var inputs = g.Inputs.OrderBy(i => i.Name, StringComparer.Ordinal).Select(Binding).ToList();
        g.Outputs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var outputs = g.Outputs.Select(o => Binding(o.Node)).ToList();
        ctx.Inputs = inputs;
        ctx.Outputs = outputs;
        ctx.Surfaces = SurfacePlan.For(inputs, outputs, ctx.Profile);
        foreach (var b in inputs.Concat(outputs))
        {
            var s = b.Type.EffectiveShape;
            if (s.Rank == 4 && s[1] < ctx.Profile.MinChannels)
                ctx.Error("L05", $"'{b.Name}' {b.Type} has {s[1]} channels; profile {ctx.Profile.Name} needs at least {ctx.Profile.MinChannels} (pad the channel dimension)");
        }
    }

    private static MilBinding Binding(Node n) => new(n.Name, new MilType(n.Type.DType, n.Type.Shape));

    // R14: a returned variable must be computed by the program: inputs, constants and a node returned twice get an identity.
    private static void MakeOutputsLive(Graph.Graph g)
    {
        var seen = new HashSet<Node>();
        for (int i = 0; i < g.Outputs.Count; i++)
        {
            var (name, node) = g.Outputs[i];
            if (node.Op is OpKind.Input or OpKind.Const || !seen.Add(node))
            {
                var id = g.Add(OpKind.Identity, name + "_live", [node], node.Type);
                g.Outputs[i] = (name, id);
                seen.Add(id);
            }
        }
    }

    // The MIL variable returned is the output's own name, so binding order (alphabetical by variable name) is
    // the order of output names a user sees.
    private static void NameOutputs(Graph.Graph g)
    {
        foreach (var (name, node) in g.Outputs)
        {
            if (node.Name == name) continue;
            var holder = g.Nodes.FirstOrDefault(n => n.Name == name);
            if (holder is not null)
            {
                if (holder.Op == OpKind.Input)
                    throw new GraphException($"output '{name}' has the same name as an input; MIL names are single-assignment, rename one of them");
                g.Rename(holder, g.FreeName(name + "_"));
            }
            g.Rename(node, name);
        }
    }
}
