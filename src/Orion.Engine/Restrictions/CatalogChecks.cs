// The static checks behind the restriction catalog: each takes the program and yields diagnostics citing its rule.
using Orion.Engine.IO;
using Orion.Engine.Mil;
using Orion.Engine.Tensors;

namespace Orion.Engine.Restrictions;

internal static class CatalogChecks
{
    private static string Types(CatalogContext c, MilStatement s) =>
        string.Join(", ", s.Arguments.Where(a => a.Value is MilRef).Select(a => $"{a.Name}: {c.TypeOf(a.Value)}")) + $" -> {s.Output.Type}";

    private static AneDiagnostic D(string rule, MilStatement s, string message) => new(rule, message, s.Op, s.Line);

    private static IEnumerable<AneDiagnostic> RejectOp(CatalogContext c, string op, string rule, string message) =>
        c.Function.Statements.Where(s => s.Op == op).Select(s => D(rule, s, $"{op} '{s.Output.Name}' ({Types(c, s)}): {message}"));

    public static IEnumerable<AneDiagnostic> Concat(CatalogContext c) => c.Profile.ConcatAllowed ? [] :
        RejectOp(c, "concat", "R01", $"concat fails to compile on profile {c.Profile.Name}; return the parts as separate outputs of a multi-output program, or let the compiler rewrite a channel concat");

    public static IEnumerable<AneDiagnostic> Sdpa(CatalogContext c) =>
        RejectOp(c, "scaled_dot_product_attention", "R06", "the ANE ignores SDPA's attention mask; write attention by hand (matmul, scale, add mask, softmax, matmul)");

    public static IEnumerable<AneDiagnostic> Gelu(CatalogContext c) =>
        RejectOp(c, "gelu", "R10", "gelu fails to compile on the ANE; use the tanh approximation 0.5x(1+tanh(sqrt(2/pi)(x+0.044715x^3)))");

    public static IEnumerable<AneDiagnostic> Rsqrt(CatalogContext c) =>
        RejectOp(c, "rsqrt", "L02", "rsqrt fails on the ANE; use pow(x, -0.5)");

    public static IEnumerable<AneDiagnostic> ConvBias(CatalogContext c) =>
        c.Function.Statements.Where(s => s.Op == "conv" && s.Operand("bias") is not null)
            .Select(s => D("R13", s, $"conv '{s.Output.Name}' ({Types(c, s)}) has a bias parameter; the ANE's conv has none: drop it and add the bias with a separate add"));

    public static IEnumerable<AneDiagnostic> MatmulFlags(CatalogContext c)
    {
        foreach (var s in c.Function.Statements.Where(s => s.Op == "matmul"))
            foreach (var flag in new[] { "transpose_x", "transpose_y" })
                if (s.Argument(flag) is MilLiteral)
                    yield return D("R12", s, $"matmul '{s.Output.Name}' passes {flag} as an inline literal; the ANE needs it as a named constant (bool {flag} = const()[...]) referenced by name");
    }

    public static IEnumerable<AneDiagnostic> MatmulWithConstant(CatalogContext c) =>
        c.Function.Statements.Where(s => s.Op == "matmul" && (c.IsConstant(s.Argument("x")) || c.IsConstant(s.Argument("y"))))
            .Select(s => D("R17", s, $"matmul '{s.Output.Name}' ({Types(c, s)}) has a constant operand; a 1x1 conv is ~3x faster on the ANE (the compiler's legalize pass does this rewrite)"));

    public static IEnumerable<AneDiagnostic> MatmulInner(CatalogContext c)
    {
        int m = c.Profile.MatmulInnerMultiple;
        foreach (var s in c.Function.Statements.Where(s => s.Op == "matmul"))
        {
            var x = c.TypeOf(s.Argument("x"))?.EffectiveShape;
            if (x is null || x.Rank < 2) continue;
            bool tx = s.Argument("transpose_x") is { } f && ConstBool(c, f);
            int k = tx ? x[-2] : x[-1];
            if (k % m != 0)
                yield return D("L03", s, $"matmul '{s.Output.Name}' ({Types(c, s)}) has inner dimension {k}; the ANE needs a multiple of {m} (pad it to {(k + m - 1) / m * m})");
        }
    }

    public static IEnumerable<AneDiagnostic> ConvInputChannels(CatalogContext c)
    {
        foreach (var s in c.Function.Statements.Where(s => s.Op == "conv"))
        {
            var x = c.TypeOf(s.Argument("x"))?.EffectiveShape;
            if (x is { Rank: 4 } && x[1] > c.Profile.MaxConvInputChannels)
                yield return D("R16", s, $"conv '{s.Output.Name}' ({Types(c, s)}) has {x[1]:N0} input channels; profile {c.Profile.Name} accepts at most {c.Profile.MaxConvInputChannels:N0} (split the input channels into several convs and add the results)");
        }
    }

    public static IEnumerable<AneDiagnostic> DepthwiseRuntimeWeights(CatalogContext c)
    {
        foreach (var s in c.Function.Statements.Where(s => s.Op == "conv"))
        {
            var groups = s.Operand("groups");
            long g = groups is null ? 1 : ConstInt(c, groups);
            if (g > 1 && !c.IsConstant(s.Argument("weight")))
                yield return D("L04", s, $"conv '{s.Output.Name}' ({Types(c, s)}) is grouped (groups = {g}) with runtime weights; depthwise conv with runtime weights fails on the ANE (bake the weights as constants)");
        }
    }

    public static IEnumerable<AneDiagnostic> LiveOutputs(CatalogContext c)
    {
        foreach (var o in c.Function.Outputs)
        {
            if (c.IsParameter(o))
                yield return new("R14", $"output '{o}' is the input parameter itself; every returned variable must be computed by the program (return identity(x = {o}))");
            else if (c.IsConstant(new MilRef(o)))
                yield return new("R14", $"output '{o}' is a constant; every returned variable must be a live node computed from the inputs");
        }
        var dup = c.Function.Outputs.GroupBy(o => o).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) yield return new("R14", $"output '{dup.Key}' is returned {dup.Count()} times; return distinct variables (add an identity)");
    }

    public static IEnumerable<AneDiagnostic> OutputOrder(CatalogContext c) => Order(c.Function.Outputs, "R03", "outputs",
        "the ANE binds outputs alphabetically by variable name, so a different return order silently swaps them");

    public static IEnumerable<AneDiagnostic> InputOrder(CatalogContext c) => Order(c.Function.Parameters.Select(p => p.Name).ToList(), "R19", "parameters",
        "the ANE binds inputs alphabetically by parameter name, so a different declaration order silently swaps them");

    private static IEnumerable<AneDiagnostic> Order(IReadOnlyList<string> names, string rule, string what, string why)
    {
        var sorted = names.Order(StringComparer.Ordinal).ToList();
        if (!names.SequenceEqual(sorted))
            yield return new(rule, $"{what} are declared ({string.Join(", ", names)}) but bind as ({string.Join(", ", sorted)}); {why}: declare them in alphabetical order");
    }

    public static IEnumerable<AneDiagnostic> MinChannels(CatalogContext c)
    {
        if (c.Profile.MinChannels <= 1) yield break;
        var vars = c.Function.Parameters.Select(p => (p.Name, p.Type))
            .Concat(c.Function.Outputs.Select(o => (Name: o, Type: c.TypeOf(new MilRef(o))!)));
        foreach (var (name, type) in vars)
            if (type?.EffectiveShape is { Rank: 4 } s && s[1] < c.Profile.MinChannels)
                yield return new("L05", $"'{name}' {type} has {s[1]} channels; profile {c.Profile.Name} needs at least {c.Profile.MinChannels} (pad the channel dimension)");
    }

    public static IEnumerable<AneDiagnostic> BlobCount(CatalogContext c)
    {
        var n = c.Blobs().Select(b => (b.Blob.Path, b.Blob.Offset)).Distinct().Count();
        if (n > c.Profile.MaxBlobTensors)
            yield return new("L01", $"the program has {n} BLOBFILE tensors; the ANE accepts at most {c.Profile.MaxBlobTensors} per program (split the program, or inline small constants)");
    }

    public static IEnumerable<AneDiagnostic> BlobOffsets(CatalogContext c) => BlobEntries(c, "R08");

    public static IEnumerable<AneDiagnostic> BlobAlignment(CatalogContext c) => BlobEntries(c, "L06");

    public static IEnumerable<AneDiagnostic> MultiBlob(CatalogContext c)
    {
        if (c.Profile.MultiBlobFileAllowed || c.WeightFiles is null) yield break;
        foreach (var (path, bytes) in c.WeightFiles)
            if (bytes.Length >= 4 && BitConverter.ToUInt32(bytes, 0) > 1)
                yield return new("L07", $"weight file '{path}' holds {BitConverter.ToUInt32(bytes, 0)} blobs; profile {c.Profile.Name} fails to load multi-blob files (write one file per weight tensor)");
    }

    // R08 (offset names a valid metadata block matching the declared type) and L06 (data alignment) share one walk.
    private static IEnumerable<AneDiagnostic> BlobEntries(CatalogContext c, string rule)
    {
        foreach (var (s, b) in c.Blobs())
        {
            if (rule == "R08" && (b.Offset < BlobFile.HeaderSize || b.Offset % 64 != 0))
            {
                yield return D("R08", s, $"BLOBFILE \"{b.Path}\" offset {b.Offset} is not a metadata block offset (64 for the first blob, then 64-byte aligned); a wrong offset reads silent garbage");
                continue;
            }
            if (c.WeightFiles is null || !c.WeightFiles.TryGetValue(b.Path, out var file)) continue;
            BlobEntry entry;
            string? error = null;
            try { entry = BlobFile.ReadEntry(file, b.Offset, b.Path); }
            catch (FormatException e) { error = e.Message; entry = null!; }
            if (error is not null)
            {
                if (rule == "R08") yield return D("R08", s, error);
                continue;
            }
            long expected = b.Type.EffectiveShape.ElementCount * DTypes.SizeOf(b.Type.ElementType);
            if (rule == "R08" && (entry.DType != b.Type.ElementType || (long)entry.SizeBytes != expected))
                yield return D("R08", s, $"BLOBFILE \"{b.Path}\" at offset {b.Offset} holds {DTypes.MilName(entry.DType)} x {entry.SizeBytes} bytes but '{s.Output.Name}' declares {b.Type} ({expected} bytes)");
            if (rule == "L06" && entry.DataOffset % (ulong)c.Profile.BlobAlignment != 0)
                yield return D("L06", s, $"BLOBFILE \"{b.Path}\" data at byte {entry.DataOffset} is not {c.Profile.BlobAlignment}-byte aligned as profile {c.Profile.Name} requires (recompile for this chip)");
        }
    }

    private static bool ConstBool(CatalogContext c, MilValue v) => Resolve(c, v) is MilLiteral { } l && l.Elements.Count == 1 && l.Elements[0] is bool b && b;

    private static long ConstInt(CatalogContext c, MilValue v) => Resolve(c, v) is MilLiteral { } l && l.Elements.Count == 1 && l.Elements[0] is long n ? n : 1;

    private static MilValue? Resolve(CatalogContext c, MilValue v)
    {
        if (v is not MilRef r) return v;
        var s = c.Function.Statements.FirstOrDefault(s => s.Op == "const" && s.Output.Name == r.Name);
        return s?.Attribute("val");
    }
}
