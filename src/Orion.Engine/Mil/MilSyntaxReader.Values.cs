// Types and operand values of MIL text: references, scalar and tensor literals, BLOBFILE constants and tuples
// (ane-reference.md section 4). Literal elements: double for fp16/fp32, long for integers, bool, string.
using System.Globalization;
using Orion.Engine.Tensors;

namespace Orion.Engine.Mil;

internal sealed partial class MilSyntaxReader
{
    /// <summary>A sanity limit that also bounds the recursion of nested tensor literals.</summary>
    private const int MaxRank = 32;

    private const string TypeHint = "types look like fp16, int32 or tensor<fp16, [1, 64, 1, 32]>";

    private MilType ReadType()
    {
        var at = Current;
        if (at.Kind != MilTokenKind.Identifier) throw Unexpected("a type", TypeHint);
        if (at.Text != "tensor")
        {
            if (!DTypes.TryParseMil(at.Text, out var scalar)) throw Unexpected("a type", TypeHint);
            Advance();
            return MilType.Scalar(scalar);
        }

        Advance();
        Expect("<", "after 'tensor'");
        var elementAt = Current;
        if (elementAt.Kind != MilTokenKind.Identifier || !DTypes.TryParseMil(elementAt.Text, out var element))
        {
            throw Unexpected("an element type (fp16, fp32, int8, uint8, int32, uint64, bool, string)");
        }
        Advance();
        Expect(",", "after the tensor element type");
        Expect("[", "to open the tensor shape");
        var dims = new List<int>();
        while (!Current.Is("]"))
        {
            if (dims.Count > 0) Expect(",", "between dimensions (or ']' to close the shape)");
            var dim = Current;
            if (dim.Kind != MilTokenKind.Number || !int.TryParse(dim.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var d))
            {
                throw Unexpected("a dimension (a non-negative integer)", "symbolic and negative dimensions are not supported");
            }
            if (dims.Count == MaxRank)
            {
                throw new MilException($"tensor has more than {MaxRank} dimensions", dim.Line, dim.Column, "ANE tensors are rank 4 or 5");
            }
            Advance();
            dims.Add(d);
        }
        Advance();
        Expect(">", "to close the tensor type");
        return new MilType(element, new Shape([.. dims]));
    }

    private MilValue ReadValue()
    {
        if (Current.Is("("))
        {
            Advance();
            var items = new List<MilValue>();
            while (!Current.Is(")"))
            {
                if (items.Count > 0) Expect(",", "between tuple items (or ')' to close the tuple)");
                if (Current.Is("(")) throw Unexpected("a tuple item", "tuples do not nest");
                items.Add(ReadValue());
            }
            Advance();
            return new MilTuple(items);
        }

        var at = Current;
        if (at.Kind != MilTokenKind.Identifier)
        {
            throw Unexpected("a value", "a value is a name, a literal such as int32(1) or tensor<int32, [2]>([0, 1]), or a tuple (a, b)");
        }
        if (at.Text == "tensor" && PeekAt(1).Is("<")) return ReadTensorLiteral();
        if (DTypes.TryParseMil(at.Text, out var scalar) && PeekAt(1).Is("("))
        {
            Advance();
            Advance();
            var element = ReadElement(scalar);
            Expect(")", $"to close the {at.Text} literal");
            return new MilLiteral(MilType.Scalar(scalar), [element]);
        }

        Advance();
        if (!_scope.ContainsKey(at.Text))
        {
            throw new MilException($"'{at.Text}' is not defined", at.Line, at.Column,
                "refer to a parameter or to an output of an earlier statement in the same function");
        }
        return new MilRef(at.Text);
    }

    private MilValue ReadTensorLiteral()
    {
        var at = Current;
        var type = ReadType();
        Expect("(", "after the tensor literal's type");
        if (Current.IsWord("BLOBFILE"))
        {
            var blob = ReadBlobFile(type);
            Expect(")", "to close the tensor literal");
            return blob;
        }

        var dims = type.EffectiveShape.ToArray();
        var elements = new List<object>();
        if (Current.Is("[")) ReadBracketed(type.ElementType, dims, 0, elements);
        else elements.Add(ReadElement(type.ElementType));
        Expect(")", "to close the tensor literal");

        var expected = ElementCount(dims);
        if (elements.Count != expected)
        {
            throw new MilException($"{type} literal has {elements.Count} elements, expected {expected}", at.Line, at.Column,
                "a literal lists every element of its shape, row-major");
        }
        return new MilLiteral(type, elements);
    }

    /// <summary>
    /// One bracket level at <paramref name="axis"/>: either rows (nested brackets, one per dims[axis]) or a flat
    /// list of all elements below this axis. Recursion depth is bounded by the rank.
    /// </summary>
    private void ReadBracketed(DType type, int[] dims, int axis, List<object> elements)
    {
        var open = Current;
        Expect("[", "to open a tensor literal level");
        if (axis < dims.Length - 1 && Current.Is("["))
        {
            var rows = 0;
            while (!Current.Is("]"))
            {
                if (rows > 0) Expect(",", "between rows (or ']' to close them)");
                ReadBracketed(type, dims, axis + 1, elements);
                rows++;
            }
            Advance();
            if (rows != dims[axis])
            {
                throw new MilException($"tensor literal has {rows} rows on axis {axis}, expected {dims[axis]}", open.Line, open.Column,
                    "nested brackets must follow the shape");
            }
            return;
        }

        var count = 0;
        while (!Current.Is("]"))
        {
            if (count > 0) Expect(",", "between elements (or ']' to close them)");
            elements.Add(ReadElement(type));
            count++;
        }
        Advance();
        var expected = ElementCount(dims.AsSpan(axis));
        if (axis > 0 && count != expected)
        {
            throw new MilException($"tensor literal has {count} elements on axis {axis}, expected {expected}", open.Line, open.Column,
                "nested brackets must follow the shape");
        }
    }

    private MilBlobFile ReadBlobFile(MilType type)
    {
        var at = Advance(); // BLOBFILE
        Expect("(", "after BLOBFILE");
        string? path = null;
        ulong? offset = null;
        var first = true;
        while (!Current.Is(")"))
        {
            if (!first) Expect(",", "between BLOBFILE operands");
            first = false;
            var nameAt = Current;
            var name = ExpectIdentifier("(path or offset) in BLOBFILE");
            Expect("=", $"after '{name}'");
            var typeAt = Current;
            var dtype = ReadType();
            Expect("(", $"after the type of BLOBFILE '{name}'");
            var value = ReadElement(dtype.ElementType);
            Expect(")", $"to close BLOBFILE '{name}'");
            switch (name)
            {
                case "path" when value is string s:
                    path = s;
                    break;
                case "offset" when value is long n and >= 0 && dtype.ElementType != DType.Fp16 && dtype.ElementType != DType.Fp32:
                    offset = (ulong)n;
                    break;
                case "path" or "offset":
                    throw new MilException($"BLOBFILE {name} has type {dtype}", typeAt.Line, typeAt.Column,
                        "write path = string(\"@model_path/weights/w.bin\"), offset = uint64(64)");
                default:
                    throw new MilException($"BLOBFILE has no operand '{name}'", nameAt.Line, nameAt.Column, "BLOBFILE takes path and offset");
            }
        }
        Advance();
        if (path is null || offset is null)
        {
            throw new MilException($"BLOBFILE is missing its {(path is null ? "path" : "offset")}", at.Line, at.Column,
                "write BLOBFILE(path = string(\"@model_path/weights/w.bin\"), offset = uint64(64))");
        }
        return new MilBlobFile(type, path, offset.Value);
    }

    /// <summary>One literal element of <paramref name="type"/>, boxed as double, long, bool or string.</summary>
    private object ReadElement(DType type)
    {
        var at = Current;
        switch (type)
        {
            case DType.Fp16 or DType.Fp32:
                if (at.Is("-") && PeekAt(1).Kind == MilTokenKind.Identifier && PeekAt(1).Text is "inf" or "nan")
                {
                    Advance();
                    return Advance().Text == "inf" ? double.NegativeInfinity : double.NaN;
                }
                if (at.Kind == MilTokenKind.Identifier && at.Text is "inf" or "nan")
                {
                    Advance();
                    return at.Text == "inf" ? double.PositiveInfinity : double.NaN;
                }
                if (at.Kind == MilTokenKind.Number && TryParseFloat(at.Text, out var d))
                {
                    Advance();
                    return d;
                }
                throw Unexpected($"an {DTypes.MilName(type)} number", "e.g. 0.5, -1e-05, 0x1p-3, inf or nan");

            case DType.Bool:
                if (at.IsWord("true") || at.IsWord("false"))
                {
                    Advance();
                    return at.Text == "true";
                }
                throw Unexpected("true or false");

            case DType.String:
                return ExpectString("as a string element");

            default:
                if (at.Kind != MilTokenKind.Number
                    || !long.TryParse(at.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                {
                    throw Unexpected($"an {DTypes.MilName(type)} integer");
                }
                var (min, max) = IntegerRange(type);
                if (n < min || n > max)
                {
                    throw new MilException($"{n} is out of range for {DTypes.MilName(type)}", at.Line, at.Column, $"{DTypes.MilName(type)} holds {min}..{max}");
                }
                Advance();
                return n;
        }
    }

    private static bool TryParseFloat(string text, out double value)
    {
        var body = text.TrimStart('+', '-');
        return body.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? HexFloat.TryParse(text, out value)
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static (long Min, long Max) IntegerRange(DType type) => type switch
    {
        DType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        DType.UInt8 => (byte.MinValue, byte.MaxValue),
        DType.Int32 => (int.MinValue, int.MaxValue),
        DType.UInt64 => (0, long.MaxValue),
        _ => (long.MinValue, long.MaxValue),
    };

    /// <summary>Product of dims, saturating so that absurd shapes cannot overflow into a match.</summary>
    internal static long ElementCount(ReadOnlySpan<int> dims)
    {
        long n = 1;
        foreach (var d in dims) n = d != 0 && n > long.MaxValue / d ? long.MaxValue : n * d;
        return n;
    }
}
