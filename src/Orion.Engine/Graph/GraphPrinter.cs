// Human-readable dump of a graph, for `orion compile --dump-after <pass>`.
using System.Text;

namespace Orion.Engine.Graph;

public static class GraphPrinter
{
    public static string Print(Graph g)
    {
        var sb = new StringBuilder();
        sb.Append("graph ").Append(g.Name).Append(" {\n");
        foreach (var n in g.Nodes)
        {
            sb.Append("  %").Append(n.Name).Append(" : ").Append(n.Type).Append(" = ");
            if (n.Op == OpKind.Const)
            {
                sb.Append(n.IsWeight ? "weight" : "const").Append('(').Append(Preview(n.Data!)).Append(')');
            }
            else
            {
                sb.Append(n.Op.ToString().ToLowerInvariant()).Append('(').Append(string.Join(", ", n.Inputs.Select(i => "%" + i.Name))).Append(')');
                var attrs = Attributes(n);
                if (attrs.Length > 0) sb.Append(" {").Append(attrs).Append('}');
            }
            sb.Append('\n');
        }
        sb.Append("} -> (").Append(string.Join(", ", g.Outputs.Select(o => o.Name == o.Node.Name ? "%" + o.Name : $"{o.Name} = %{o.Node.Name}"))).Append(")\n");
        return sb.ToString();
    }

    private static string Preview(float[] d) =>
        d.Length <= 4 ? string.Join(", ", d.Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))
                      : $"{d.Length} values";

    private static string Attributes(Node n)
    {
        var a = n.Attributes;
        var parts = new List<string>();
        if (n.Op is OpKind.Softmax or OpKind.Concat) parts.Add($"axis={a.Axis}");
        if (a.Axes is not null) parts.Add($"axes=[{string.Join(",", a.Axes)}] keep={a.KeepDims}");
        if (a.Perm is not null) parts.Add($"perm=[{string.Join(",", a.Perm)}]");
        if (a.Begin is not null) parts.Add($"begin=[{string.Join(",", a.Begin)}] size=[{string.Join(",", a.Size!)}]");
        if (n.Op == OpKind.MatMul) parts.Add($"tx={a.TransposeX} ty={a.TransposeY}");
        if (a.Target is not null) parts.Add($"to={a.Target}");
        if (n.Op is OpKind.Quantize or OpKind.Dequantize) parts.Add($"scale={a.Scale} zp={a.ZeroPoint}");
        return string.Join(" ", parts);
    }
}
