// Pass 5, emit: the graph as MIL text in the dialect of ane-reference.md section 4 — header and buildInfo,
// func main<ios18>, SSA names, conv parameters and matmul flags as named constants (R12), weights as BLOBFILE consts.
using Orion.Engine.Graph;
using Orion.Engine.Mil;
using Orion.Engine.Tensors;

namespace Orion.Engine.Compiler;

public static class EmitPass
{
    public static void Run(PassContext ctx)
    {
        var g = ctx.Graph;
        var e = new Emitter(g, ctx.WeightMap.ToDictionary(w => w.Name));
        foreach (var n in g.Nodes) e.Emit(n);
        var main = new MilFunction("main", "ios18", ctx.Inputs, e.Statements, ctx.Outputs.Select(o => o.Name).ToList());
        ctx.Mil = new MilProgram("1.3", MilProgram.DefaultBuildInfo, [main]);
        ctx.MilText = MilPrinter.Print(ctx.Mil);
    }

    private sealed class Emitter(Graph.Graph g, Dictionary<string, WeightLocation> weights)
    {
        public List<MilStatement> Statements { get; } = [];

        private static MilType TypeOf(Node n) => n.Type.Shape.Rank == 0 ? MilType.Scalar(n.Type.DType) : new MilType(n.Type.DType, n.Type.Shape);
        private static MilArgument A(string name, MilValue v) => new(name, v);
        private static MilArgument A(string name, Node n) => new(name, new MilRef(n.Name));
        private static MilArgument NameAttr(string name) => new("name", MilLiteral.String(name));

        private void Op(Node n, string op, params MilArgument[] args) =>
            Statements.Add(new MilStatement([new MilBinding(n.Name, TypeOf(n))], op, args, [NameAttr(n.Name)]));

        /// <summary>Emits <c>type name = const()[name = ..., val = literal]</c> and returns a reference to it.</summary>
        private MilRef Const(string hint, MilLiteral val)
        {
            var name = g.UniqueName(hint);
            Statements.Add(new MilStatement([new MilBinding(name, val.Type)], "const", [], [NameAttr(name), A("val", val)]));
            return new MilRef(name);
        }

        private static MilLiteral Literal(Node c)
        {
            var elements = c.Data!.Select(v => c.Type.DType switch
            {
                DType.Fp16 or DType.Fp32 => (object)(double)v,
                DType.Bool => v != 0,
                _ => (long)v,
            }).ToArray();
            return new MilLiteral(TypeOf(c), elements);
        }

        public void Emit(Node n)
        {
            var x = n.Inputs.Count > 0 ? n.Inputs[0] : null;
            var a = n.Attributes;
            switch (n.Op)
            {
                case OpKind.Input:
                    return;
                case OpKind.Const:
                    MilValue val = n.IsWeight
                        ? new MilBlobFile(TypeOf(n), weights[n.Name].Path, weights[n.Name].Offset)
                        : Literal(n);
                    Statements.Add(new MilStatement([new MilBinding(n.Name, TypeOf(n))], "const", [], [NameAttr(n.Name), A("val", val)]));
                    return;
                case OpKind.Conv:
                    var pt = Const(n.Name + "_pad_type", MilLiteral.String("valid"));
                    var st = Const(n.Name + "_strides", MilLiteral.Int32s(1, 1));
                    var pd = Const(n.Name + "_pad", MilLiteral.Int32s(0, 0, 0, 0));
                    var dl = Const(n.Name + "_dilations", MilLiteral.Int32s(1, 1));
                    var gr = Const(n.Name + "_groups", MilLiteral.Int32(a.Groups));
                    Op(n, "conv", A("dilations", dl), A("groups", gr), A("pad", pd), A("pad_type", pt), A("strides", st), A("weight", n.Inputs[1]), A("x", x!));
                    return;
                case OpKind.MatMul:
                    var tx = Const(n.Name + "_transpose_x", MilLiteral.Bool(a.TransposeX));
                    var ty = Const(n.Name + "_transpose_y", MilLiteral.Bool(a.TransposeY));
                    Op(n, "matmul", A("transpose_x", tx), A("transpose_y", ty), A("x", x!), A("y", n.Inputs[1]));
                    return;
                case OpKind.Add or OpKind.Sub or OpKind.Mul or OpKind.Div or OpKind.Pow:
                    Op(n, n.Op switch { OpKind.Add => "add", OpKind.Sub => "sub", OpKind.Mul => "mul", OpKind.Div => "real_div", _ => "pow" }, A("x", x!), A("y", n.Inputs[1]));
                    return;
                case OpKind.Sqrt or OpKind.Exp or OpKind.Neg or OpKind.Relu or OpKind.Sigmoid or OpKind.Tanh or OpKind.Identity:
                    Op(n, n.Op.ToString().ToLowerInvariant(), A("x", x!));
                    return;
                case OpKind.Softmax:
                    Op(n, "softmax", A("axis", Const(n.Name + "_axis", MilLiteral.Int32(a.Axis))), A("x", x!));
                    return;
                case OpKind.ReduceSum or OpKind.ReduceMean or OpKind.ReduceMax:
                    var axes = Const(n.Name + "_axes", MilLiteral.Int32s([.. a.Axes!]));
                    var keep = Const(n.Name + "_keep_dims", MilLiteral.Bool(a.KeepDims));
                    Op(n, n.Op switch { OpKind.ReduceSum => "reduce_sum", OpKind.ReduceMean => "reduce_mean", _ => "reduce_max" }, A("axes", axes), A("keep_dims", keep), A("x", x!));
                    return;
                case OpKind.Reshape:
                    Op(n, "reshape", A("shape", Const(n.Name + "_shape", MilLiteral.Int32s(n.Type.Shape.ToArray()))), A("x", x!));
                    return;
                case OpKind.Transpose:
                    Op(n, "transpose", A("perm", Const(n.Name + "_perm", MilLiteral.Int32s([.. a.Perm!]))), A("x", x!));
                    return;
                case OpKind.Slice:
                    var size = a.Size!.Select((s, i) => s < 0 ? n.Type.Shape[i] : s).ToArray();
                    Op(n, "slice_by_size", A("begin", Const(n.Name + "_begin", MilLiteral.Int32s([.. a.Begin!]))), A("size", Const(n.Name + "_size", MilLiteral.Int32s(size))), A("x", x!));
                    return;
                case OpKind.Concat:
                    var ax = Const(n.Name + "_axis", MilLiteral.Int32(a.Axis));
                    var il = Const(n.Name + "_interleave", MilLiteral.Bool(false));
                    Op(n, "concat", A("axis", ax), A("interleave", il), A("values", new MilTuple(n.Inputs.Select(i => (MilValue)new MilRef(i.Name)).ToList())));
                    return;
                case OpKind.Cast:
                    Op(n, "cast", A("dtype", Const(n.Name + "_dtype", MilLiteral.String(DTypes.MilName(a.Target!.Value)))), A("x", x!));
                    return;
                case OpKind.Quantize:
                    var qs = Const(n.Name + "_scale", new MilLiteral(MilType.Scalar(x!.Type.DType), [(double)a.Scale]));
                    var qz = Const(n.Name + "_zero_point", new MilLiteral(MilType.Scalar(a.Target!.Value), [(long)a.ZeroPoint]));
                    var od = Const(n.Name + "_output_dtype", MilLiteral.String(DTypes.MilName(a.Target.Value)));
                    Op(n, "quantize", A("input", x), A("output_dtype", od), A("scale", qs), A("zero_point", qz));
                    return;
                case OpKind.Dequantize:
                    var ds = Const(n.Name + "_scale", new MilLiteral(MilType.Scalar(n.Type.DType), [(double)a.Scale]));
                    var dz = Const(n.Name + "_zero_point", new MilLiteral(MilType.Scalar(x!.Type.DType), [(long)a.ZeroPoint]));
                    Op(n, "dequantize", A("input", x), A("scale", ds), A("zero_point", dz));
                    return;
                default:
                    throw new GraphException($"emit: %{n.Name} is a {n.Op}, which legalize should have rewritten");
            }
        }
    }
}
