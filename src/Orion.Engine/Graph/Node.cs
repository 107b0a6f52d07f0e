// A node of the graph IR: one op producing one typed value. Inputs point at producer nodes (SSA).
using Orion.Engine.Tensors;

namespace Orion.Engine.Graph;

public sealed class Node
{
    internal Node(int id, OpKind op, string name, IReadOnlyList<Node> inputs, TensorType type, NodeAttributes attributes, float[]? data)
    {
        Id = id;
        Op = op;
        Name = name;
        Inputs = inputs.ToList();
        Type = type;
        Attributes = attributes;
        Data = data;
    }

    public int Id { get; }
    public OpKind Op { get; }
    public string Name { get; internal set; }
    public List<Node> Inputs { get; }
    public TensorType Type { get; internal set; }
    public NodeAttributes Attributes { get; internal set; }

    /// <summary>Constant values (row-major, as float; fp16 constants hold exact fp16 values). Null for non-constants.</summary>
    public float[]? Data { get; internal set; }

    /// <summary>For Const nodes: serialise into a weight blob file (true) or inline as a MIL literal (false). Set by the weights pass.</summary>
    public bool IsWeight { get; internal set; }

    public bool IsConst => Op == OpKind.Const;

    public override string ToString() => $"%{Name} = {Op}({string.Join(", ", Inputs.Select(i => "%" + i.Name))}) : {Type}";
}
