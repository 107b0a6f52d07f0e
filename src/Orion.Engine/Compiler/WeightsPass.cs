// Pass 4, weights: serialise constants into Core ML blob files (ane-reference.md section 5) and record where each
// tensor lives, which is what a delta patch rewrites. One file per tensor by default (works on every chip);
// one multi-blob file as an option (fails on M1). Small constants stay inline to save BLOBFILE slots (16 max).
using Orion.Engine.Graph;
using Orion.Engine.IO;
using Orion.Engine.Tensors;

namespace Orion.Engine.Compiler;

public static class WeightsPass
{
    public const string WeightsFolder = "@model_path/weights/";

    public static void Run(PassContext ctx)
    {
        var g = ctx.Graph;
        var convWeights = g.Nodes.Where(n => n.Op == OpKind.Conv).Select(n => n.Inputs[1]).ToHashSet();
        var weights = g.Nodes.Where(n => n.IsConst && (convWeights.Contains(n) || n.Type.Shape.ElementCount >= ctx.Options.InlineConstantLimit)).ToList();
        foreach (var n in g.Nodes.Where(n => n.IsConst)) n.IsWeight = weights.Contains(n);
        if (weights.Count == 0) return;
        if (ctx.Options.MultiBlobFile && !ctx.Profile.MultiBlobFileAllowed)
        {
            ctx.Error("L07", $"profile {ctx.Profile.Name} fails to load multi-blob weight files; use one file per weight tensor (the default)");
            return;
        }
        if (ctx.Options.MultiBlobFile)
        {
            var key = WeightsFolder + "weights.bin";
            var (file, entries) = BlobFile.Write(weights.Select(w => (w.Type.DType, (ReadOnlyMemory<byte>)TensorCodec.Encode(w.Data!, w.Type.DType))).ToList(), ctx.Profile.BlobAlignment);
            ctx.WeightFiles[key] = file;
            for (int i = 0; i < weights.Count; i++) Record(ctx, weights[i], key, entries[i]);
        }
        else
        {
            foreach (var w in weights)
            {
                var key = WeightsFolder + w.Name + ".bin";
                var (file, entries) = BlobFile.Write([(w.Type.DType, TensorCodec.Encode(w.Data!, w.Type.DType))], ctx.Profile.BlobAlignment);
                ctx.WeightFiles[key] = file;
                Record(ctx, w, key, entries[0]);
            }
        }
    }

    private static void Record(PassContext ctx, Node w, string key, BlobEntry e) =>
        ctx.WeightMap.Add(new WeightLocation(w.Name, key, e.MetadataOffset, e.DataOffset, DTypes.MilName(w.Type.DType), w.Type.Shape.ToArray(), e.SizeBytes));
}
