// Element types that appear in ANE programs (ane-reference.md section 4) and their sizes.
namespace Orion.Engine.Tensors;

/// <summary>Element type of a tensor or scalar in the graph IR and in MIL.</summary>
public enum DType
{
    Fp16,
    Fp32,
    Int8,
    UInt8,
    Int32,
    UInt64,
    Bool,
    String,
}

/// <summary>Names and byte sizes of <see cref="DType"/> as MIL spells them.</summary>
public static class DTypes
{
    public static int SizeOf(DType t) => t switch
    {
        DType.Fp16 => 2,
        DType.Fp32 => 4,
        DType.Int8 or DType.UInt8 or DType.Bool => 1,
        DType.Int32 => 4,
        DType.UInt64 => 8,
        _ => throw new ArgumentException($"{t} has no fixed element size", nameof(t)),
    };

    public static string MilName(DType t) => t switch
    {
        DType.Fp16 => "fp16",
        DType.Fp32 => "fp32",
        DType.Int8 => "int8",
        DType.UInt8 => "uint8",
        DType.Int32 => "int32",
        DType.UInt64 => "uint64",
        DType.Bool => "bool",
        DType.String => "string",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static bool TryParseMil(string name, out DType t)
    {
        switch (name)
        {
            case "fp16": t = DType.Fp16; return true;
            case "fp32": t = DType.Fp32; return true;
            case "int8": t = DType.Int8; return true;
            case "uint8": t = DType.UInt8; return true;
            case "int32": t = DType.Int32; return true;
            case "uint64": t = DType.UInt64; return true;
            case "bool": t = DType.Bool; return true;
            case "string": t = DType.String; return true;
            default: t = default; return false;
        }
    }

    public static bool IsFloat(DType t) => t is DType.Fp16 or DType.Fp32;

    /// <summary>Blob-file dtype code of ane-reference.md section 5.</summary>
    public static uint BlobCode(DType t) => t switch
    {
        DType.Fp16 => 1,
        DType.Fp32 => 2,
        DType.UInt8 => 3,
        DType.Int8 => 4,
        _ => throw new ArgumentException($"{MilName(t)} cannot be stored in a weight blob", nameof(t)),
    };
}
