// The graph IR: nodes in topological order, named inputs and named outputs. Passes rewrite it in place.
using Orion.Engine.Tensors;

namespace Orion.Engine.Graph;

public sealed class Graph
{
    private readonly List<Node> _nodes = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _nextId;

    public Graph(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>Nodes in topological order (every node after its inputs).</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    public IEnumerable<Node> Inputs => _nodes.Where(n => n.Op == OpKind.Input);

    /// <summary>Program outputs: the returned name and the node producing it.</summary>
    public List<(string Name, Node Node)> Outputs { get; } = [];

    internal Node Add(OpKind op, string? name, IReadOnlyList<Node> inputs, TensorType type, NodeAttributes? attributes = null, float[]? data = null)
    {
        var n = new Node(_nextId++, op, UniqueName(name ?? op.ToString().ToLowerInvariant()), inputs, type, attributes ?? NodeAttributes.None, data);
        _nodes.Add(n);
        return n;
    }

    /// <summary>Inserts a node right before <paramref name="before"/> (so rewrites keep topological order).</summary>
    internal Node InsertBefore(Node before, OpKind op, string? name, IReadOnlyList<Node> inputs, TensorType type, NodeAttributes? attributes = null, float[]? data = null)
    {
        var n = Add(op, name, inputs, type, attributes, data);
        _nodes.RemoveAt(_nodes.Count - 1);
        _nodes.Insert(_nodes.IndexOf(before), n);
        return n;
    }

    /// <summary>Inserts a node right after <paramref name="after"/>.</summary>
    internal Node InsertAfter(Node after, OpKind op, string? name, IReadOnlyList<Node> inputs, TensorType type, NodeAttributes? attributes = null, float[]? data = null)
    {
        var n = Add(op, name, inputs, type, attributes, data);
        _nodes.RemoveAt(_nodes.Count - 1);
        _nodes.Insert(_nodes.IndexOf(after) + 1, n);
        return n;
    }

    /// <summary>A valid MIL identifier not used yet in this graph, derived from <paramref name="hint"/>.</summary>
    /// <summary>A legal name not yet used, reserved for the caller (a node about to be added).</summary>
    public string UniqueName(string hint)
    {
        var name = FreeName(hint);
        _names.Add(name);
        return name;
    }

    /// <summary>A legal name not yet used, not reserved (for <see cref="Rename"/>, which reserves it).</summary>
    internal string FreeName(string hint)
    {
        var chars = hint.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        var s = new string(chars);
        if (s.Length == 0 || char.IsAsciiDigit(s[0])) s = "v_" + s;
        var candidate = s;
        for (int i = 1; _names.Contains(candidate); i++) candidate = $"{s}_{i}";
        return candidate;
    }

    internal void Rename(Node n, string newName)
    {
        if (n.Name == newName) return;
        if (!_names.Add(newName)) throw new GraphException($"cannot rename %{n.Name} to '{newName}': the name is taken");
        _names.Remove(n.Name);
        n.Name = newName;
    }

    /// <summary>
    /// Gives <paramref name="successor"/> the name of <paramref name="predecessor"/> (which a rewrite replaced), so
    /// weights and values keep the names their author chose; the predecessor takes the successor's old name.
    /// </summary>
    public void TakeName(Node successor, Node predecessor)
    {
        (successor.Name, predecessor.Name) = (predecessor.Name, successor.Name);
    }

    /// <summary>Redirects every use of <paramref name="old"/> (as an input or an output) to <paramref name="replacement"/>.</summary>
    public void ReplaceAllUses(Node old, Node replacement)
    {
        foreach (var n in _nodes)
        {
            for (int i = 0; i < n.Inputs.Count; i++) if (n.Inputs[i] == old) n.Inputs[i] = replacement;
        }
        for (int i = 0; i < Outputs.Count; i++) if (Outputs[i].Node == old) Outputs[i] = (Outputs[i].Name, replacement);
        EnsureOrder(replacement, old);
    }

    public IEnumerable<Node> Users(Node n) => _nodes.Where(u => u.Inputs.Contains(n));

    public bool IsOutput(Node n) => Outputs.Any(o => o.Node == n);

    /// <summary>Removes nodes that no output depends on. Inputs are kept: they are the program's interface.</summary>
    public int RemoveDeadNodes()
    {
        var live = new HashSet<Node>();
        var stack = new Stack<Node>(Outputs.Select(o => o.Node));
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!live.Add(n)) continue;
            foreach (var i in n.Inputs) stack.Push(i);
        }
        var dead = _nodes.Where(n => n.Op != OpKind.Input && !live.Contains(n)).ToList();
        foreach (var d in dead)
        {
            _nodes.Remove(d);
            _names.Remove(d.Name);
        }
        return dead.Count;
    }

    public long ConstantBytes(DType weightType = DType.Fp16) =>
        _nodes.Where(n => n.IsConst).Sum(n => n.Type.Shape.ElementCount * DTypes.SizeOf(n.Type.DType == DType.Fp32 ? DType.Fp32 : weightType));

    // A replacement built later in the list than a user of the old node breaks topological order; re-sort.
    private void EnsureOrder(Node replacement, Node old)
    {
        int ri = _nodes.IndexOf(replacement), oi = _nodes.IndexOf(old);
        if (ri <= oi || oi < 0) return;
        var sorted = new List<Node>(_nodes.Count);
        var seen = new HashSet<Node>();
        void Visit(Node n)
        {
            if (!seen.Add(n)) return;
            foreach (var i in n.Inputs) Visit(i);
            sorted.Add(n);
        }
        foreach (var n in _nodes) Visit(n);
        _nodes.Clear();
        _nodes.AddRange(sorted);
    }
}
