// Seeded random MilProgram generator for print -> parse -> print round trips: random types, literals
// (incl. fp16 subnormals, specials, escapes), BLOBFILEs, tuples, multi-output statements and keyword-like names.
using Orion.Engine.Mil;
using Orion.Engine.Tensors;

namespace Orion.Engine.Tests.Mil;

internal static class MilRandomProgram
{
    private static readonly DType[] DTypesAll = Enum.GetValues<DType>();
    private static readonly string[] OddNames = ["tensor", "fp16", "BLOBFILE", "inf", "nan", "true", "func", "program", "_x9"];
    private static readonly string[] Ops = ["const", "relu", "add", "conv", "concat", "constexpr_affine_dequantize", "split", "my_op2"];

    public static MilProgram Generate(Random rng)
    {
        var buildInfo = rng.Next(3) switch
        {
            0 => null,
            1 => MilProgram.DefaultBuildInfo,
            _ => Enumerable.Range(0, rng.Next(3)).Select(i => new KeyValuePair<string, string>(RandomString(rng) + i, RandomString(rng))).ToList(),
        };
        var functions = new List<MilFunction>();
        var count = rng.Next(1, 4);
        for (var i = 0; i < count; i++) functions.Add(Function(rng, i == 0 ? "main" : "f" + i));
        return new MilProgram(rng.Next(2) == 0 ? "1.3" : "1.0", buildInfo, functions);
    }

    private static MilFunction Function(Random rng, string name)
    {
        var scope = new List<string>();
        var fresh = 0;
        string NewName()
        {
            var candidate = rng.Next(8) == 0 ? OddNames[rng.Next(OddNames.Length)] : "v" + fresh++;
            if (scope.Contains(candidate)) candidate = "w" + fresh++;
            scope.Add(candidate);
            return candidate;
        }

        var parameters = Enumerable.Range(0, rng.Next(4)).Select(_ => new MilBinding(NewName(), RandomType(rng))).ToList();
        var statements = new List<MilStatement>();
        for (var s = rng.Next(13); s > 0; s--)
        {
            // Operands are drawn before the outputs exist: SSA forbids reading one's own result.
            var arguments = Arguments(rng, scope, rng.Next(4));
            var attributes = Arguments(rng, scope, rng.Next(4));
            if (rng.Next(2) == 0) attributes.Insert(0, new MilArgument("name", MilLiteral.String(RandomString(rng))));
            var outputs = Enumerable.Range(0, rng.Next(4) == 0 ? 2 : 1).Select(_ => new MilBinding(NewName(), RandomType(rng))).ToList();
            statements.Add(new MilStatement(outputs, Ops[rng.Next(Ops.Length)], arguments, attributes));
        }
        var returned = scope.Where(_ => rng.Next(3) == 0).ToList();
        return new MilFunction(name, rng.Next(2) == 0 ? null : "ios" + rng.Next(15, 19), parameters, statements, returned);
    }

    private static List<MilArgument> Arguments(Random rng, List<string> scope, int count)
    {
        var list = new List<MilArgument>();
        for (var i = 0; i < count; i++) list.Add(new MilArgument("p" + i, Value(rng, scope, allowTuple: true)));
        return list;
    }

    private static MilValue Value(Random rng, List<string> scope, bool allowTuple)
    {
        switch (rng.Next(allowTuple ? 5 : 4))
        {
            case 0 when scope.Count > 0:
                return new MilRef(scope[rng.Next(scope.Count)]);
            case 1:
                return new MilBlobFile(RandomType(rng, tensorOnly: true), "@model_path/weights/" + RandomString(rng) + ".bin", (ulong)rng.NextInt64(0, long.MaxValue));
            case 4:
                return new MilTuple(Enumerable.Range(0, rng.Next(4)).Select(_ => Value(rng, scope, allowTuple: false)).ToList());
            default:
                var type = RandomType(rng);
                var n = type.Shape is null ? 1 : (int)type.Shape.ElementCount;
                return new MilLiteral(type, Enumerable.Range(0, n).Select(_ => Element(rng, type.ElementType)).ToList());
        }
    }

    private static MilType RandomType(Random rng, bool tensorOnly = false)
    {
        var dtype = DTypesAll[rng.Next(DTypesAll.Length)];
        if (!tensorOnly && rng.Next(3) == 0) return MilType.Scalar(dtype);
        var dims = Enumerable.Range(0, rng.Next(5)).Select(_ => rng.Next(4) == 0 ? rng.Next(0, 2) : rng.Next(1, 4)).ToArray();
        return new MilType(dtype, new Shape(dims));
    }

    private static object Element(Random rng, DType type) => type switch
    {
        DType.Fp16 => rng.Next(10) == 0 ? Special(rng) : (double)BitConverter.UInt16BitsToHalf((ushort)rng.Next(0x7C00 | 0x8000)),
        DType.Fp32 => rng.Next(10) == 0 ? Special(rng) : (double)BitConverter.Int32BitsToSingle(rng.Next(int.MinValue, int.MaxValue) & ~0x00800000),
        DType.Int8 => (long)rng.Next(sbyte.MinValue, sbyte.MaxValue + 1),
        DType.UInt8 => (long)rng.Next(0, 256),
        DType.Int32 => (long)rng.Next(int.MinValue, int.MaxValue),
        DType.UInt64 => rng.NextInt64(0, long.MaxValue),
        DType.Bool => rng.Next(2) == 0,
        _ => RandomString(rng),
    };

    private static double Special(Random rng) => rng.Next(5) switch
    {
        0 => double.PositiveInfinity,
        1 => double.NegativeInfinity,
        2 => double.NaN,
        3 => -0.0,
        _ => (double)BitConverter.UInt16BitsToHalf((ushort)rng.Next(1, 0x400)), // fp16 subnormal
    };

    private static string RandomString(Random rng)
    {
        const string alphabet = "ab_ Z9\"\\\n\t\ré/*//.";
        var chars = new char[rng.Next(6)];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[rng.Next(alphabet.Length)];
        return new string(chars);
    }
}
