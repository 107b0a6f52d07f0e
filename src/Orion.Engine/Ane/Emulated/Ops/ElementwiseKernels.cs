// Struct operators and loops for elementwise ops (Garnet style: one SIMD loop serves every operator; pow stays scalar).
using System.Numerics;

namespace Orion.Engine.Ane.Emulated.Ops;

internal interface IUnaryOp
{
    static abstract float Apply(float x);
    static abstract Vector<float> Apply(Vector<float> x);
}

internal interface IBinaryOp
{
    static abstract bool Vectorized { get; }
    static abstract float Apply(float x, float y);
    static abstract Vector<float> Apply(Vector<float> x, Vector<float> y);
}

internal readonly struct Neg : IUnaryOp
{
    public static float Apply(float x) => -x;
    public static Vector<float> Apply(Vector<float> x) => -x;
}

internal readonly struct Relu : IUnaryOp
{
    public static float Apply(float x) => x > 0 ? x : (float.IsNaN(x) ? x : 0f);
    public static Vector<float> Apply(Vector<float> x) => Vector.ConditionalSelect(Vector.Equals(x, x), Vector.Max(x, Vector<float>.Zero), x);
}

internal readonly struct Sqrt : IUnaryOp
{
    public static float Apply(float x) => MathF.Sqrt(x);
    public static Vector<float> Apply(Vector<float> x) => Vector.SquareRoot(x);
}

internal readonly struct Add : IBinaryOp
{
    public static bool Vectorized => true;
    public static float Apply(float x, float y) => x + y;
    public static Vector<float> Apply(Vector<float> x, Vector<float> y) => x + y;
}

internal readonly struct Sub : IBinaryOp
{
    public static bool Vectorized => true;
    public static float Apply(float x, float y) => x - y;
    public static Vector<float> Apply(Vector<float> x, Vector<float> y) => x - y;
}

internal readonly struct Mul : IBinaryOp
{
    public static bool Vectorized => true;
    public static float Apply(float x, float y) => x * y;
    public static Vector<float> Apply(Vector<float> x, Vector<float> y) => x * y;
}

internal readonly struct Div : IBinaryOp
{
    public static bool Vectorized => true;
    public static float Apply(float x, float y) => x / y;
    public static Vector<float> Apply(Vector<float> x, Vector<float> y) => x / y;
}

internal readonly struct Pow : IBinaryOp
{
    public static bool Vectorized => false;
    public static float Apply(float x, float y) => MathF.Pow(x, y);
    public static Vector<float> Apply(Vector<float> x, Vector<float> y) => throw new NotSupportedException("pow has no vector form");
}

internal static class BinaryKernels
{
    private static bool UseVectors<TOp>() where TOp : IBinaryOp => TOp.Vectorized && Vector.IsHardwareAccelerated;

    public static void Same<TOp>(float[] x, float[] y, float[] o) where TOp : IBinaryOp
    {
        int i = 0;
        if (UseVectors<TOp>())
            for (int w = Vector<float>.Count; i <= o.Length - w; i += w) TOp.Apply(new Vector<float>(x, i), new Vector<float>(y, i)).CopyTo(o, i);
        for (; i < o.Length; i++) o[i] = TOp.Apply(x[i], y[i]);
    }

    public static void ScalarRight<TOp>(float[] x, float y, float[] o) where TOp : IBinaryOp
    {
        int i = 0;
        if (UseVectors<TOp>())
        {
            var vy = new Vector<float>(y);
            for (int w = Vector<float>.Count; i <= o.Length - w; i += w) TOp.Apply(new Vector<float>(x, i), vy).CopyTo(o, i);
        }
        for (; i < o.Length; i++) o[i] = TOp.Apply(x[i], y);
    }

    public static void ScalarLeft<TOp>(float x, float[] y, float[] o) where TOp : IBinaryOp
    {
        int i = 0;
        if (UseVectors<TOp>())
        {
            var vx = new Vector<float>(x);
            for (int w = Vector<float>.Count; i <= o.Length - w; i += w) TOp.Apply(vx, new Vector<float>(y, i)).CopyTo(o, i);
        }
        for (; i < o.Length; i++) o[i] = TOp.Apply(x, y[i]);
    }

    public static void Mapped<TOp>(float[] x, int[] ix, float[] y, int[] iy, float[] o) where TOp : IBinaryOp
    {
        for (int i = 0; i < o.Length; i++) o[i] = TOp.Apply(x[ix[i]], y[iy[i]]);
    }
}
