// Weight baking for ExecutionPlan (R07): BLOBFILE constants decoded from blob files (ane-reference.md section 5) into
// plan-owned buffers. Every file is checked before any buffer changes, so a failed delta patch leaves the old weights.
using System.Runtime.InteropServices;
using Orion.Engine.IO;
using Orion.Engine.Kernels;
using Orion.Engine.Tensors;

namespace Orion.Engine.Ane.Emulated;

internal sealed partial class ExecutionPlan
{
    public void BindWeights(IReadOnlyDictionary<string, byte[]> weightFiles)
    {
        ArgumentNullException.ThrowIfNull(weightFiles);
        lock (_gate)
        {
            var entries = new BlobEntry[_weights.Length];
            for (int i = 0; i < _weights.Length; i++)
            {
                var w = _weights[i];
                if (!weightFiles.TryGetValue(w.Path, out var file))
                    throw new ArgumentException($"no weight file for '{w.Path}' (line {w.Line}); the program uses {string.Join(", ", WeightPaths)}", nameof(weightFiles));
                var e = BlobFile.ReadEntry(file, w.Offset, w.Path);
                long expectedBytes = (long)w.Target.Count * DTypes.SizeOf(w.Target.DType);
                if (e.DType != w.Target.DType)
                    throw new FormatException($"{w.Path}: blob at offset {w.Offset} holds {DTypes.MilName(e.DType)}, expected {DTypes.MilName(w.Target.DType)} for {w.Target} (line {w.Line})");
                if ((long)e.SizeBytes != expectedBytes)
                    throw new FormatException($"{w.Path}: blob at offset {w.Offset} holds {e.SizeBytes} bytes, expected {expectedBytes} for {w.Target} (line {w.Line}; wrong offset or shape, R08)");
                entries[i] = e;
            }
            for (int i = 0; i < _weights.Length; i++)
                Decode(weightFiles[_weights[i].Path].AsSpan((int)entries[i].DataOffset, (int)entries[i].SizeBytes), _weights[i].Target);
            foreach (var bake in _bakes) bake();
            _weightsBound = true;
        }
    }

    private static void Decode(ReadOnlySpan<byte> data, PlanTensor target)
    {
        var dst = target.Data.AsSpan();
        switch (target.DType)
        {
            case DType.Fp16: Fp16Convert.ToSingle(MemoryMarshal.Cast<byte, ushort>(data), dst); break;
            case DType.Fp32: MemoryMarshal.Cast<byte, float>(data).CopyTo(dst); break;
            case DType.Int8: for (int i = 0; i < dst.Length; i++) dst[i] = (sbyte)data[i]; break;
            case DType.UInt8: for (int i = 0; i < dst.Length; i++) dst[i] = data[i]; break;
            default: throw new FormatException($"{target.Name}: {DTypes.MilName(target.DType)} cannot come from a weight blob");
        }
    }
}
