// How a tensor's floats travel on a link; the sender picks it per message and names it in the MessageStart frame.
namespace Orion.Actors.Remote;

/// <summary>Wire encoding of a tensor. Received tensors are always fp32 in memory.</summary>
public enum TensorEncoding : byte
{
    /// <summary>4 bytes per element, little-endian IEEE 754 bits: exact.</summary>
    Fp32 = 0,

    /// <summary>2 bytes per element, the upper half of the fp32 bits rounded to nearest even: half the bytes, 8 mantissa bits.</summary>
    Bf16 = 1,
}
