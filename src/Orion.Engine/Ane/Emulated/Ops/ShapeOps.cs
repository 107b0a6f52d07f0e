// Shape ops (coremltools tensor_transformation, tensor_operation): reshape, transpose, slices and concat.
// Slices and transposes become a gather index map built once at Build; Execute only gathers.
namespace Orion.Engine.Ane.Emulated.Ops;

internal static class ShapeOps
{
    // reshape(x, shape): -1 infers one dimension, 0 copies the input's dimension at that position.
    public static void Reshape(PlanBuilder b)
    {
        b.Allow("x", "shape");
        var x = b.Input("x");
        var dims = b.Ints("shape");
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == 0 && i < x.Rank) dims[i] = x.Dims[i];
            if (dims[i] == -1)
            {
                if (infer >= 0) b.Fail("shape has more than one -1", "at most one dimension can be inferred");
                infer = i;
            }
            else if (dims[i] < 0) b.Fail($"shape entry {dims[i]} is negative");
            else known *= dims[i];
        }
        if (infer >= 0) dims[infer] = known == 0 ? 0 : (int)(x.Count / known);
        if (PlanTensor.ElementCount(dims) != x.Count)
            b.Fail($"cannot reshape {x} ({x.Count} elements) to {PlanTensor.DescribeShape(dims)}", "the element counts must match");
        var o = b.Output(x.DType, dims);
        float[] src = x.Data, dst = o.Data;
        b.Step(o, [x], () => src.AsSpan().CopyTo(dst));
    }

    // transpose(x, perm): output axis a is input axis perm[a].
    public static void Transpose(PlanBuilder b)
    {
        b.Allow("x", "perm");
        var x = b.Input("x");
        var perm = b.Ints("perm");
        if (perm.Length != x.Rank) b.Fail($"perm has {perm.Length} entries for rank {x.Rank}");
        var p = perm.Select(a => b.Axis(a, x.Rank, "perm entry")).ToArray();
        if (p.Distinct().Count() != p.Length) b.Fail($"perm [{string.Join(", ", perm)}] is not a permutation");
        var inStrides = Strides(x.Dims);
        var o = b.Output(x.DType, p.Select(a => x.Dims[a]).ToArray());
        Gather(b, x, o, 0, p.Select(a => inStrides[a]).ToArray());
    }

    // slice_by_size(x, begin, size): size -1 runs to the end of the axis.
    public static void SliceBySize(PlanBuilder b)
    {
        b.Allow("x", "begin", "size");
        var x = b.Input("x");
        var begin = b.Ints("begin");
        var size = b.Ints("size");
        if (begin.Length != x.Rank || size.Length != x.Rank) b.Fail($"begin and size need {x.Rank} entries, got {begin.Length} and {size.Length}");
        var inStrides = Strides(x.Dims);
        var dims = new int[x.Rank];
        int offset = 0;
        for (int a = 0; a < x.Rank; a++)
        {
            int start = begin[a] < 0 ? begin[a] + x.Dims[a] : begin[a];
            int n = size[a] == -1 ? x.Dims[a] - start : size[a];
            if (start < 0 || n < 0 || start + n > x.Dims[a])
                b.Fail($"axis {a}: begin {begin[a]} size {size[a]} is outside dimension {x.Dims[a]}");
            dims[a] = n;
            offset += start * inStrides[a];
        }
        var o = b.Output(x.DType, dims);
        Gather(b, x, o, offset, inStrides);
    }

    // slice_by_index(x, begin, end, stride, begin_mask, end_mask, squeeze_mask): python slice semantics per axis.
    public static void SliceByIndex(PlanBuilder b)
    {
        b.Allow("x", "begin", "end", "stride", "begin_mask", "end_mask", "squeeze_mask");
        var x = b.Input("x");
        int rank = x.Rank;
        var begin = b.Ints("begin");
        var end = b.Ints("end");
        var stride = b.OptionalInts("stride") ?? Enumerable.Repeat(1, rank).ToArray();
        var beginMask = b.OptionalBools("begin_mask") ?? new bool[rank];
        var endMask = b.OptionalBools("end_mask") ?? new bool[rank];
        var squeeze = b.OptionalBools("squeeze_mask") ?? new bool[rank];
        if (new[] { begin.Length, end.Length, stride.Length, beginMask.Length, endMask.Length, squeeze.Length }.Any(l => l != rank))
            b.Fail($"begin, end, stride and masks need {rank} entries each");
        var inStrides = Strides(x.Dims);
        var dims = new List<int>();
        var strides = new List<int>();
        int offset = 0;
        for (int a = 0; a < rank; a++)
        {
            int n = x.Dims[a], s = stride[a];
            if (s == 0) b.Fail($"axis {a}: stride is 0");
            int lo = s > 0 ? 0 : -1, hi = s > 0 ? n : n - 1;
            int start = beginMask[a] ? (s > 0 ? 0 : n - 1) : Math.Clamp(begin[a] < 0 ? begin[a] + n : begin[a], lo, hi);
            if (squeeze[a])
            {
                if (start < 0 || start >= n) b.Fail($"axis {a}: squeezed index {begin[a]} is outside dimension {n}");
                offset += start * inStrides[a];
                continue;
            }
            int stop = endMask[a] ? (s > 0 ? n : -1) : Math.Clamp(end[a] < 0 ? end[a] + n : end[a], lo, hi);
            int count = s > 0 ? Math.Max(0, (stop - start + s - 1) / s) : Math.Max(0, (start - stop - s - 1) / -s);
            dims.Add(count);
            strides.Add(s * inStrides[a]);
            if (count > 0) offset += start * inStrides[a];
        }
        var o = b.Output(x.DType, [.. dims]);
        Gather(b, x, o, offset, [.. strides]);
    }

    // concat(values = (a, b, ...), axis, interleave = false): blocks copied in order for each outer index.
    public static void Concat(PlanBuilder b)
    {
        b.Allow("values", "axis", "interleave");
        var values = b.Tuple("values");
        if (b.Bool("interleave", false)) b.Fail("interleave = true is not supported by the emulator", "reshape and transpose instead");
        var first = values[0];
        int axis = b.Axis(b.Int("axis", 0), first.Rank);
        var dims = first.Dims.ToArray();
        dims[axis] = 0;
        foreach (var v in values)
        {
            bool fits = v.DType == first.DType && v.Rank == first.Rank && Enumerable.Range(0, v.Rank).All(a => a == axis || v.Dims[a] == first.Dims[a]);
            if (!fits) b.Fail($"'{v.Name}' is {v}, which cannot be concatenated with {first} on axis {axis}", "all values need one dtype and the same dims off the axis");
            dims[axis] += v.Dims[axis];
        }
        var o = b.Output(first.DType, dims);
        int outer = PlanTensor.ElementCount(dims.AsSpan(0, axis));
        int inner = PlanTensor.ElementCount(dims.AsSpan(axis + 1));
        var blocks = values.Select(v => v.Dims[axis] * inner).ToArray();
        var sources = values.Select(v => v.Data).ToArray();
        float[] dst = o.Data;
        b.Step(o, values, () =>
        {
            int at = 0;
            for (int r = 0; r < outer; r++)
            {
                for (int i = 0; i < sources.Length; i++)
                {
                    Array.Copy(sources[i], r * blocks[i], dst, at, blocks[i]);
                    at += blocks[i];
                }
            }
        });
    }

    public static int[] Strides(int[] dims)
    {
        var s = new int[dims.Length];
        for (int i = dims.Length - 1, acc = 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    // o[i] = x[map[i]] with map[i] = offset + sum over output axes of index * stride.
    private static void Gather(PlanBuilder b, PlanTensor x, PlanTensor o, int offset, int[] strides)
    {
        var map = new int[o.Count];
        var idx = new int[o.Rank];
        int flat = offset;
        for (int k = 0; k < map.Length; k++)
        {
            map[k] = flat;
            for (int a = o.Rank - 1; a >= 0; a--)
            {
                flat += strides[a];
                if (++idx[a] < o.Dims[a]) break;
                flat -= strides[a] * o.Dims[a];
                idx[a] = 0;
            }
        }
        float[] src = x.Data, dst = o.Data;
        b.Step(o, [x], () =>
        {
            for (int i = 0; i < dst.Length; i++) dst[i] = src[map[i]];
        });
    }
}
