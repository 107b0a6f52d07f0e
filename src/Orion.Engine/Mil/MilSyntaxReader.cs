// Recursive-descent reader for MIL program structure: header, buildInfo, functions and statements,
// tracking the SSA scope of each function (ane-reference.md section 4). Values live in MilSyntaxReader.Values.cs.
namespace Orion.Engine.Mil;

internal sealed partial class MilSyntaxReader
{
    private readonly List<MilToken> _tokens;
    private int _pos;

    /// <summary>Names visible in the current function and the line that defined each.</summary>
    private readonly Dictionary<string, int> _scope = new(StringComparer.Ordinal);

    public MilSyntaxReader(List<MilToken> tokens) => _tokens = tokens;

    private MilToken Current => _tokens[Math.Min(_pos, _tokens.Count - 1)];
    private MilToken PeekAt(int ahead) => _tokens[Math.Min(_pos + ahead, _tokens.Count - 1)];

    private MilToken Advance()
    {
        var t = Current;
        if (_pos < _tokens.Count - 1) _pos++;
        return t;
    }

    public MilProgram ReadProgram()
    {
        ExpectWord("program", "at the start of a MIL program");
        Expect("(", "after 'program'");
        var version = Current;
        if (version.Kind != MilTokenKind.Number) throw Unexpected("a version number such as 1.3 in 'program(...)'");
        Advance();
        Expect(")", "after the program version");

        IReadOnlyList<KeyValuePair<string, string>>? buildInfo = null;
        if (Current.Is("[")) buildInfo = ReadBuildInfo();

        Expect("{", "to open the program body");
        var functions = new List<MilFunction>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (!Current.Is("}"))
        {
            var at = Current;
            var function = ReadFunction();
            if (!names.Add(function.Name))
            {
                throw new MilException($"function '{function.Name}' is defined twice", at.Line, at.Column, "give each function its own name");
            }
            functions.Add(function);
        }
        Advance();
        if (Current.Kind != MilTokenKind.End) throw Unexpected("end of input after the program's closing '}'");
        return new MilProgram(version.Text, buildInfo, functions);
    }

    private List<KeyValuePair<string, string>> ReadBuildInfo()
    {
        Expect("[", "before buildInfo");
        ExpectWord("buildInfo", "in the program attributes");
        Expect("=", "after 'buildInfo'");
        ExpectWord("dict", "as the buildInfo value");
        Expect("<", "after 'dict'");
        ReadStringElementType("the buildInfo key type");
        Expect(",", "between the dict key and value types");
        ReadStringElementType("the buildInfo value type");
        Expect(">", "after the dict value type");
        Expect("(", "before the buildInfo entries");
        Expect("{", "to open the buildInfo entries");
        var entries = new List<KeyValuePair<string, string>>();
        while (!Current.Is("}"))
        {
            if (entries.Count > 0) Expect(",", "between buildInfo entries");
            Expect("{", "to open a buildInfo entry");
            var key = ExpectString("as the buildInfo key");
            Expect(",", "between a buildInfo key and its value");
            var value = ExpectString("as the buildInfo value");
            Expect("}", "to close a buildInfo entry");
            entries.Add(new(key, value));
        }
        Advance();
        Expect(")", "after the buildInfo entries");
        Expect("]", "to close the program attributes");
        return entries;
    }

    /// <summary>Core ML writes the dict types as <c>string</c> or, in older files, <c>tensor&lt;string, []&gt;</c>.</summary>
    private void ReadStringElementType(string what)
    {
        var at = Current;
        var type = ReadType();
        if (type.ElementType != Tensors.DType.String || type.EffectiveShape.Rank != 0)
        {
            throw new MilException($"{what} is {type}, expected string", at.Line, at.Column, "buildInfo is dict<string, string>");
        }
    }

    private MilFunction ReadFunction()
    {
        ExpectWord("func", "to start a function (or '}' to close the program)");
        var name = ExpectIdentifier("as the function name");
        string? opset = null;
        if (Current.Is("<"))
        {
            Advance();
            opset = ExpectIdentifier("as the function's opset, e.g. ios18");
            Expect(">", "after the opset");
        }

        _scope.Clear();
        Expect("(", "to open the parameter list");
        var parameters = new List<MilBinding>();
        while (!Current.Is(")"))
        {
            if (parameters.Count > 0) Expect(",", "between parameters");
            var (parameter, at) = ReadBinding("parameter");
            Declare(parameter.Name, at);
            parameters.Add(parameter);
        }
        Advance();

        Expect("{", "to open the function body");
        var statements = new List<MilStatement>();
        while (!Current.Is("}")) statements.Add(ReadStatement());
        Advance();

        Expect("->", "after the function body");
        Expect("(", "to open the function's output list");
        var outputs = new List<string>();
        while (!Current.Is(")"))
        {
            if (outputs.Count > 0) Expect(",", "between function outputs");
            var at = Current;
            var output = ExpectIdentifier("as a function output name");
            if (!_scope.ContainsKey(output))
            {
                throw new MilException($"function '{name}' returns '{output}', which is not defined", at.Line, at.Column,
                    "return a parameter or a statement output of this function");
            }
            outputs.Add(output);
        }
        Advance();
        Expect(";", "after the function's output list");
        return new MilFunction(name, opset, parameters, statements, outputs);
    }

    private MilStatement ReadStatement()
    {
        var first = Current;
        var outputs = new List<(MilBinding Binding, MilToken At)>();
        var parenthesised = TryConsume("(");
        do outputs.Add(ReadBinding("output")); while (TryConsume(","));
        if (parenthesised) Expect(")", "to close the statement's output list");
        Expect("=", "after the statement's output");
        var op = ExpectIdentifier("as the op name");
        Expect("(", $"after op '{op}'");
        var arguments = ReadArguments(")");
        var attributes = Current.Is("[") ? ReadAttributes() : [];
        Expect(";", "after statement");

        // Outputs enter the scope only now: an op cannot read its own result.
        foreach (var (binding, at) in outputs) Declare(binding.Name, at);
        return new MilStatement(outputs.ConvertAll(o => o.Binding), op, arguments, attributes) { Line = first.Line };
    }

    private List<MilArgument> ReadAttributes()
    {
        Advance();
        return ReadArguments("]");
    }

    /// <summary>Reads <c>name = value, ...</c> up to and including <paramref name="close"/>.</summary>
    private List<MilArgument> ReadArguments(string close)
    {
        var list = new List<MilArgument>();
        while (!Current.Is(close))
        {
            if (list.Count > 0) Expect(",", $"between operands (or '{close}' to close the list)");
            var name = ExpectIdentifier($"as an operand name (or '{close}' to close the list)");
            Expect("=", $"after operand '{name}'");
            list.Add(new MilArgument(name, ReadValue()));
        }
        Advance();
        return list;
    }

    /// <summary><c>&lt;type&gt; &lt;name&gt;</c>, with the name's token for error positions.</summary>
    private (MilBinding Binding, MilToken At) ReadBinding(string role)
    {
        var type = ReadType();
        var at = Current;
        var name = ExpectIdentifier($"as the {role} name after its type");
        return (new MilBinding(name, type), at);
    }

    /// <summary>Adds a name to the function's SSA scope; it must not be there already.</summary>
    private void Declare(string name, MilToken at)
    {
        if (_scope.TryGetValue(name, out var earlier))
        {
            throw new MilException($"'{name}' is assigned twice: line {earlier} and line {at.Line}", at.Line, at.Column,
                "MIL is SSA: each name is assigned once; rename one of them");
        }
        _scope[name] = at.Line;
    }

    private bool TryConsume(string punct)
    {
        if (!Current.Is(punct)) return false;
        Advance();
        return true;
    }

    private void Expect(string punct, string context)
    {
        if (!Current.Is(punct)) throw Unexpected($"'{punct}' {context}");
        Advance();
    }

    private void ExpectWord(string word, string context)
    {
        if (!Current.IsWord(word)) throw Unexpected($"'{word}' {context}");
        Advance();
    }

    private string ExpectIdentifier(string context)
    {
        if (Current.Kind != MilTokenKind.Identifier) throw Unexpected($"an identifier {context}");
        return Advance().Text;
    }

    private string ExpectString(string context)
    {
        if (Current.Kind != MilTokenKind.String) throw Unexpected($"a quoted string {context}");
        return Advance().Text;
    }

    private MilException Unexpected(string expected, string? hint = null) =>
        new($"expected {expected}, found {Current.Describe()}", Current.Line, Current.Column, hint);
}
