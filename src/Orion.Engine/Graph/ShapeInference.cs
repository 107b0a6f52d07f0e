// Output type of every graph op from its input types and attributes. Used by the builder and by the validator.
using Orion.Engine.Tensors;

namespace Orion.Engine.Graph;

public static class ShapeInference
{
    public static TensorType Infer(OpKind op, IReadOnlyList<TensorType> ins, NodeAttributes a)
    {
        switch (op)
        {
            case OpKind.Conv: return Conv(ins);
            case OpKind.MatMul: return MatMul(ins, a);
            case OpKind.Add or OpKind.Sub or OpKind.Mul or OpKind.Div or OpKind.Pow:
                Arity(op, ins, 2);
                SameFloat(op, ins[0], ins[1]);
                return new TensorType(ins[0].DType, Broadcast(op, ins[0].Shape, ins[1].Shape));
            case OpKind.Sqrt or OpKind.Exp or OpKind.Neg or OpKind.Relu or OpKind.Sigmoid or OpKind.Tanh or OpKind.Gelu or OpKind.Identity:
                Arity(op, ins, 1);
                return ins[0];
            case OpKind.Softmax:
                Arity(op, ins, 1);
                NormalizeAxis(op, a.Axis, ins[0].Shape.Rank);
                return ins[0];
            case OpKind.ReduceSum or OpKind.ReduceMean or OpKind.ReduceMax: return Reduce(op, ins, a);
            case OpKind.Reshape:
                Arity(op, ins, 1);
                var ns = a.NewShape ?? throw new GraphException("reshape needs a target shape");
                if (ns.ElementCount != ins[0].Shape.ElementCount)
                    throw new GraphException($"reshape from {ins[0].Shape} ({ins[0].Shape.ElementCount} elements) to {ns} ({ns.ElementCount} elements): element counts differ");
                return new TensorType(ins[0].DType, ns);
            case OpKind.Transpose: return Transpose(ins, a);
            case OpKind.Slice: return Slice(ins, a);
            case OpKind.Concat: return Concat(ins, a);
            case OpKind.Cast:
                Arity(op, ins, 1);
                return new TensorType(a.Target ?? throw new GraphException("cast needs a target dtype"), ins[0].Shape);
            case OpKind.Quantize:
                Arity(op, ins, 1);
                if (a.Target is not (DType.Int8 or DType.UInt8)) throw new GraphException($"quantize produces int8 or uint8, not {a.Target}");
                return new TensorType(a.Target.Value, ins[0].Shape);
            case OpKind.Dequantize:
                Arity(op, ins, 1);
                if (ins[0].DType is not (DType.Int8 or DType.UInt8)) throw new GraphException($"dequantize takes int8 or uint8, not {DTypes.MilName(ins[0].DType)}");
                return new TensorType(a.Target ?? DType.Fp16, ins[0].Shape);
            default:
                throw new GraphException($"{op} has no inferred type (inputs and constants carry their own)");
        }
    }

    public static Shape Broadcast(OpKind op, Shape x, Shape y)
    {
        int r = Math.Max(x.Rank, y.Rank);
        var dims = new int[r];
        for (int i = 0; i < r; i++)
        {
            int dx = i - (r - x.Rank) >= 0 ? x[i - (r - x.Rank)] : 1;
            int dy = i - (r - y.Rank) >= 0 ? y[i - (r - y.Rank)] : 1;
            if (dx != dy && dx != 1 && dy != 1)
                throw new GraphException($"{op}: shapes {x} and {y} do not broadcast (dimension {i}: {dx} vs {dy})");
            dims[i] = Math.Max(dx, dy);
        }
        return new Shape(dims);
    }

    public static int NormalizeAxis(OpKind op, int axis, int rank)
    {
        int ax = axis < 0 ? axis + rank : axis;
        if (ax < 0 || ax >= rank) throw new GraphException($"{op}: axis {axis} is out of range for rank {rank}");
        return ax;
    }

    private static void Arity(OpKind op, IReadOnlyList<TensorType> ins, int n)
    {
        if (ins.Count != n) throw new GraphException($"{op} takes {n} input(s), got {ins.Count}");
    }

    private static void SameFloat(OpKind op, TensorType x, TensorType y)
    {
        if (x.DType != y.DType) throw new GraphException($"{op}: dtypes differ ({x} vs {y}); insert a cast");
        if (!DTypes.IsFloat(x.DType)) throw new GraphException($"{op}: needs fp16 or fp32 operands, got {x}");
    }

    private static TensorType Conv(IReadOnlyList<TensorType> ins)
    {
        if (ins.Count is not (2 or 3)) throw new GraphException($"conv takes x, weight and optional bias, got {ins.Count} inputs");
        var x = ins[0].Shape;
        var w = ins[1].Shape;
        if (x.Rank != 4) throw new GraphException($"conv: x must be rank 4 [1, C, 1, S], got {x}");
        if (w.Rank != 4 || w[2] != 1 || w[3] != 1) throw new GraphException($"conv: weight must be [OC, IC, 1, 1] (1x1 conv), got {w}");
        if (w[1] != x[1]) throw new GraphException($"conv: weight {w} expects {w[1]} input channels but x {x} has {x[1]}");
        if (ins.Count == 3 && ins[2].Shape.ElementCount != w[0]) throw new GraphException($"conv: bias {ins[2].Shape} must have {w[0]} elements (one per output channel)");
        return new TensorType(ins[0].DType, new Shape(x[0], w[0], x[2], x[3]));
    }

    private static TensorType MatMul(IReadOnlyList<TensorType> ins, NodeAttributes a)
    {
        Arity(OpKind.MatMul, ins, 2);
        SameFloat(OpKind.MatMul, ins[0], ins[1]);
        var x = ins[0].Shape;
        var y = ins[1].Shape;
        if (x.Rank < 2 || y.Rank < 2) throw new GraphException($"matmul needs rank >= 2 operands, got {x} and {y}");
        int m = a.TransposeX ? x[-1] : x[-2], kx = a.TransposeX ? x[-2] : x[-1];
        int ky = a.TransposeY ? y[-1] : y[-2], n = a.TransposeY ? y[-2] : y[-1];
        if (kx != ky) throw new GraphException($"matmul: inner dimensions differ ({x}{(a.TransposeX ? "^T" : "")} x {y}{(a.TransposeY ? "^T" : "")}: {kx} vs {ky})");
        var batch = Broadcast(OpKind.MatMul, new Shape(x.Dims[..^2].ToArray()), new Shape(y.Dims[..^2].ToArray()));
        return new TensorType(ins[0].DType, new Shape([.. batch.Dims, m, n]));
    }

    private static TensorType Reduce(OpKind op, IReadOnlyList<TensorType> ins, NodeAttributes a)
    {
        Arity(op, ins, 1);
        var s = ins[0].Shape;
        var axes = (a.Axes ?? throw new GraphException($"{op} needs axes")).Select(x => NormalizeAxis(op, x, s.Rank)).ToHashSet();
        var dims = new List<int>();
        for (int i = 0; i < s.Rank; i++)
        {
            if (!axes.Contains(i)) dims.Add(s[i]);
            else if (a.KeepDims) dims.Add(1);
        }
        return new TensorType(ins[0].DType, new Shape([.. dims]));
    }

    private static TensorType Transpose(IReadOnlyList<TensorType> ins, NodeAttributes a)
    {
        Arity(OpKind.Transpose, ins, 1);
        var s = ins[0].Shape;
        var p = a.Perm ?? throw new GraphException("transpose needs perm");
        if (p.Count != s.Rank || p.Order().Select((v, i) => v == i).Any(ok => !ok))
            throw new GraphException($"transpose: perm [{string.Join(", ", p)}] is not a permutation of the {s.Rank} axes of {s}");
        return new TensorType(ins[0].DType, new Shape(p.Select(i => s[i]).ToArray()));
    }

    private static TensorType Slice(IReadOnlyList<TensorType> ins, NodeAttributes a)
    {
        Arity(OpKind.Slice, ins, 1);
        var s = ins[0].Shape;
        var b = a.Begin ?? throw new GraphException("slice needs begin");
        var z = a.Size ?? throw new GraphException("slice needs size");
        if (b.Count != s.Rank || z.Count != s.Rank) throw new GraphException($"slice: begin and size need {s.Rank} entries for {s}");
        var dims = new int[s.Rank];
        for (int i = 0; i < s.Rank; i++)
        {
            int size = z[i] < 0 ? s[i] - b[i] : z[i];
            if (b[i] < 0 || size <= 0 || b[i] + size > s[i])
                throw new GraphException($"slice: begin [{string.Join(", ", b)}] size [{string.Join(", ", z)}] falls outside {s} on axis {i}");
            dims[i] = size;
        }
        return new TensorType(ins[0].DType, new Shape(dims));
    }

    private static TensorType Concat(IReadOnlyList<TensorType> ins, NodeAttributes a)
    {
        if (ins.Count < 2) throw new GraphException("concat needs at least two inputs");
        var s0 = ins[0].Shape;
        int ax = NormalizeAxis(OpKind.Concat, a.Axis, s0.Rank);
        var dims = s0.ToArray();
        dims[ax] = 0;
        foreach (var t in ins)
        {
            if (t.DType != ins[0].DType || t.Shape.Rank != s0.Rank) throw new GraphException($"concat: {t} does not match {ins[0]}");
            for (int i = 0; i < s0.Rank; i++)
                if (i != ax && t.Shape[i] != s0[i]) throw new GraphException($"concat on axis {ax}: {t.Shape} and {s0} differ on axis {i}");
            dims[ax] += t.Shape[ax];
        }
        return new TensorType(ins[0].DType, new Shape(dims));
    }
}
