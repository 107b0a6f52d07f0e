// Which GEMM micro-kernel runs; Auto picks the best the CPU supports (AVX2+FMA -> Vector<T> -> scalar). Tests force each path.
namespace Orion.Engine.Kernels;

public enum GemmPath
{
    Auto,
    Avx2Fma,
    Vector,
    Scalar,
}
