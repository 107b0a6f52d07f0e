// Pass 2, fuse: make the program smaller and deeper before layout fixes its interface.
// Collapses reshape and transpose chains, drops identities, folds constant subgraphs, folds a constant
// scale into the preceding conv's weights, and removes dead nodes. Runs to a fixed point.
using Orion.Engine.Graph;
using Orion.Engine.Tensors;

namespace Orion.Engine.Compiler;

public static class FusePass
{
    public static void Run(PassContext ctx)
    {
        var g = ctx.Graph;
        bool changed = true;
        for (int round = 0; changed && round < 64; round++)
        {
            changed = false;
            foreach (var n in g.Nodes.ToList())
            {
                if (!g.Nodes.Contains(n)) continue;
                changed |= n.Op switch
                {
                    OpKind.Identity => Bypass(g, n, n.Inputs[0]),
                    OpKind.Reshape => FuseReshape(g, n),
                    OpKind.Transpose => FuseTranspose(g, n),
                    OpKind.Mul => FoldScaleIntoConv(g, n),
                    _ => false,
                };
                if (g.Nodes.Contains(n) && ConstEval.CanFold(n))
                {
                    var c = g.InsertBefore(n, OpKind.Const, n.Name + "_k", [], n.Type, null, ConstEval.Fold(n));
                    g.ReplaceAllUses(n, c);
                    // A reshaped or cast weight keeps its author's name (what a delta patch and program.json show).
                    if (n.Inputs.Count == 1 && !g.Users(n.Inputs[0]).Any(u => u != n) && !g.IsOutput(n.Inputs[0])) g.TakeName(c, n.Inputs[0]);
                    changed = true;
                }
            }
            changed |= g.RemoveDeadNodes() > 0;
        }
    }

    private static bool Bypass(Graph.Graph g, Node n, Node replacement)
    {
        if (replacement.Op == OpKind.Input && g.IsOutput(n)) return false; // keep: an output must be a live node (R14)
        g.ReplaceAllUses(n, replacement);
        return true;
    }

    private static bool FuseReshape(Graph.Graph g, Node n)
    {
        var x = n.Inputs[0];
        if (x.Type.Shape == n.Type.Shape) return Bypass(g, n, x);
        if (x.Op == OpKind.Reshape)
        {
            n.Inputs[0] = x.Inputs[0]; // reshape(reshape(a)) == reshape(a): data order never changes
            return true;
        }
        return false;
    }

    private static bool FuseTranspose(Graph.Graph g, Node n)
    {
        var perm = n.Attributes.Perm!;
        if (perm.Select((p, i) => p == i).All(b => b)) return Bypass(g, n, n.Inputs[0]);
        var x = n.Inputs[0];
        if (x.Op != OpKind.Transpose) return false;
        var inner = x.Attributes.Perm!;
        var composed = perm.Select(p => inner[p]).ToArray();
        n.Inputs[0] = x.Inputs[0];
        n.Attributes = n.Attributes with { Perm = composed };
        return true;
    }

    // conv(x, W) * c  ==  conv(x, W * c) for a scalar or per-output-channel constant c.
    private static bool FoldScaleIntoConv(Graph.Graph g, Node n)
    {
        var (conv, c) = n.Inputs[0].Op == OpKind.Conv ? (n.Inputs[0], n.Inputs[1]) : (n.Inputs[1], n.Inputs[0]);
        if (conv.Op != OpKind.Conv || !c.IsConst || conv.Inputs.Count != 2) return false;
        if (g.Users(conv).Count() != 1 || g.IsOutput(conv) || n.Type.Shape != conv.Type.Shape) return false;
        var w = conv.Inputs[1];
        if (!w.IsConst || g.Users(w).Count() != 1) return false;
        int oc = conv.Type.Shape[1];
        var cs = c.Type.Shape;
        bool perChannel = cs.ElementCount == oc && cs.Rank == 4 && cs[1] == oc;
        if (cs.ElementCount != 1 && !perChannel) return false;
        int ic = (int)(w.Type.Shape.ElementCount / oc);
        var data = (float[])w.Data!.Clone();
        for (int o = 0; o < oc; o++)
        {
            float s = c.Data![perChannel ? o : 0];
            for (int i = 0; i < ic; i++) data[o * ic + i] = w.Type.DType == DType.Fp16 ? Fp16.Round(data[o * ic + i] * s) : data[o * ic + i] * s;
        }
        w.Data = data;
        g.ReplaceAllUses(n, conv);
        return true;
    }
}
