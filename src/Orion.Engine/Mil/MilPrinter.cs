// Writes a MilProgram as MIL text in the layout of ane-reference.md section 4; MilParser reads it back unchanged.
// Floats print as exact C99 hex floats so that print -> parse -> print is the identity.
using System.Globalization;
using System.Text;
using Orion.Engine.Tensors;

namespace Orion.Engine.Mil;

/// <summary>Canonical MIL text: 4-space indentation, statements at 8 spaces, LF line endings, trailing newline.</summary>
public static class MilPrinter
{
    public static string Print(MilProgram p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var sb = new StringBuilder();
        sb.Append("program(").Append(p.Version).Append(")\n");
        if (p.BuildInfo is not null)
        {
            sb.Append("[buildInfo = dict<string, string>({");
            for (var i = 0; i < p.BuildInfo.Count; i++)
            {
                if (i > 0) sb.Append(", ");
                sb.Append('{').Append(Quote(p.BuildInfo[i].Key)).Append(", ").Append(Quote(p.BuildInfo[i].Value)).Append('}');
            }
            sb.Append("})]\n");
        }
        sb.Append("{\n");
        foreach (var f in p.Functions) AppendFunction(sb, f);
        sb.Append("}\n");
        return sb.ToString();
    }

    private static void AppendFunction(StringBuilder sb, MilFunction f)
    {
        sb.Append("    func ").Append(Name(f.Name, "function name"));
        if (f.Opset is not null) sb.Append('<').Append(Name(f.Opset, "opset")).Append('>');
        sb.Append('(');
        AppendJoined(sb, f.Parameters, AppendBinding);
        sb.Append(") {\n");
        foreach (var st in f.Statements) AppendStatement(sb, st);
        sb.Append("    } -> (");
        AppendJoined(sb, f.Outputs, (s, o) => s.Append(Name(o, "function output")));
        sb.Append(");\n");
    }

    private static void AppendStatement(StringBuilder sb, MilStatement st)
    {
        sb.Append("        ");
        AppendJoined(sb, st.Outputs, AppendBinding);
        sb.Append(" = ").Append(Name(st.Op, "op name")).Append('(');
        AppendArguments(sb, st.Arguments);
        sb.Append(')');
        if (st.Attributes.Count > 0)
        {
            sb.Append('[');
            AppendArguments(sb, st.Attributes);
            sb.Append(']');
        }
        sb.Append(";\n");
    }

    private static void AppendBinding(StringBuilder sb, MilBinding b) =>
        sb.Append(FormatType(b.Type)).Append(' ').Append(Name(b.Name, "variable name"));

    private static void AppendArguments(StringBuilder sb, IReadOnlyList<MilArgument> args) =>
        AppendJoined(sb, args, (s, a) =>
        {
            s.Append(Name(a.Name, "operand name")).Append(" = ");
            AppendValue(s, a.Value);
        });

    private static void AppendValue(StringBuilder sb, MilValue value)
    {
        switch (value)
        {
            case MilRef r:
                sb.Append(Name(r.Name, "reference"));
                break;
            case MilTuple t:
                sb.Append('(');
                AppendJoined(sb, t.Items, AppendValue);
                sb.Append(')');
                break;
            case MilBlobFile b:
                sb.Append(FormatType(b.Type)).Append("(BLOBFILE(path = string(").Append(Quote(b.Path))
                  .Append("), offset = uint64(").Append(b.Offset.ToString(CultureInfo.InvariantCulture)).Append(")))");
                break;
            case MilLiteral l:
                AppendLiteral(sb, l);
                break;
            default:
                throw new ArgumentException($"cannot print MIL value of type {value.GetType().Name}", nameof(value));
        }
    }

    private static void AppendLiteral(StringBuilder sb, MilLiteral l)
    {
        sb.Append(FormatType(l.Type)).Append('(');
        if (l.Type.Shape is null)
        {
            if (l.Elements.Count != 1) throw CountMismatch(l, 1);
            sb.Append(FormatElement(l.Type.ElementType, l.Elements[0]));
        }
        else
        {
            var dims = l.Type.Shape.ToArray();
            var expected = MilSyntaxReader.ElementCount(dims);
            if (l.Elements.Count != expected) throw CountMismatch(l, expected);
            var next = 0;
            AppendLevel(sb, l, dims, 0, ref next);
        }
        sb.Append(')');
    }

    /// <summary>Flat <c>[a, b]</c> for rank 0 and 1, nested rows for rank 2 and up.</summary>
    private static void AppendLevel(StringBuilder sb, MilLiteral l, int[] dims, int axis, ref int next)
    {
        sb.Append('[');
        if (axis < dims.Length - 1)
        {
            for (var i = 0; i < dims[axis]; i++)
            {
                if (i > 0) sb.Append(", ");
                AppendLevel(sb, l, dims, axis + 1, ref next);
            }
        }
        else
        {
            var count = dims.Length == 0 ? 1 : dims[axis];
            for (var i = 0; i < count; i++)
            {
                if (i > 0) sb.Append(", ");
                sb.Append(FormatElement(l.Type.ElementType, l.Elements[next++]));
            }
        }
        sb.Append(']');
    }

    private static string FormatElement(DType type, object element) => type switch
    {
        DType.Fp16 or DType.Fp32 => HexFloat.Format(Convert.ToDouble(element, CultureInfo.InvariantCulture)),
        DType.Bool => (bool)element ? "true" : "false",
        DType.String => Quote((string)element),
        _ => Convert.ToInt64(element, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
    };

    private static string FormatType(MilType t) => t.ToString();

    /// <summary>A string literal with <c>\" \\ \n \t \r</c> escaped.</summary>
    internal static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    private static void AppendJoined<T>(StringBuilder sb, IReadOnlyList<T> items, Action<StringBuilder, T> append)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            append(sb, items[i]);
        }
    }

    /// <summary>Refuses names the parser could not read back, rather than writing unparseable text.</summary>
    private static string Name(string name, string role)
    {
        var ok = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_');
        foreach (var c in name) ok &= char.IsAsciiLetterOrDigit(c) || c == '_';
        return ok ? name : throw new MilException($"cannot print {role} '{name}'", 0, 0, "MIL names are ASCII letters, digits and '_', not starting with a digit");
    }

    private static MilException CountMismatch(MilLiteral l, long expected) =>
        new($"{l.Type} literal has {l.Elements.Count} elements, expected {expected}", 0, 0, "a literal lists every element of its shape, row-major");
}
