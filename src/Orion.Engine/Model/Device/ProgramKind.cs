// The four programs each layer runs on the ANE (ane-reference.md section 9: forward attention, forward FFN, and the
// backward-data kernels; weight gradients stay on the CPU).
namespace Orion.Engine.Model.Device;

public enum ProgramKind
{
    ForwardAttention,
    ForwardFfn,
    BackwardFfn,
    BackwardAttention,
}
