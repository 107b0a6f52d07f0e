// MilParser on bad input: syntax errors at the right line/column, SSA and reference checks, truncation robustness.
using Orion.Engine.Mil;
using Xunit;

namespace Orion.Engine.Tests.Mil;

public sealed class MilParserErrorTests
{
    private static MilException Fails(string text) => Assert.Throws<MilException>(() => MilParser.Parse(text));

    [Fact]
    public void Parse_MissingSemicolon_ReportsNextTokenPosition()
    {
        var text = MilSamples.Section4.Replace("string(\"valid\")];", "string(\"valid\")]", StringComparison.Ordinal);

        var e = Fails(text);

        Assert.Equal(6, e.Line);
        Assert.Equal(9, e.Column);
        Assert.Equal("expected ';' after statement, found 'tensor'", e.What);
    }

    [Theory]
    [InlineData("program(1.3) {\n    func main(fp16 x) {\n        fp16 y = relu(x = x)\n    } -> (y);\n}", 4, 5, "'}'")]
    [InlineData("program(1.3) {\n    func main(fp16 x) {\n        fp16 y = relu(x x);\n    } -> (y);\n}", 3, 25, "'x'")]
    [InlineData("program(1.3) {\n    func main(fp17 x) {\n    } -> (x);\n}", 2, 15, "'fp17'")]
    [InlineData("program(1.3) {\n  func main(fp16 x) {\n  } (x);\n}", 3, 5, "'('")]
    [InlineData("program(1.3) {\n  func main(fp16 x) {\n    tensor<fp16, [1, -2]> y = relu(x = x);\n  } -> (y);\n}", 3, 22, "'-2'")]
    [InlineData("program(1.3) {\n  func main(fp16 x) {\n    fp16 y = relu(x = x);\n  } -> (y);\n}\n}", 6, 1, "'}'")]
    [InlineData("program(1.3) {\n  func main(fp16 x) {\n    fp16 y = relu(x = x);\n  } -> (y);\n", 5, 1, "end of input")]
    public void Parse_SyntaxError_ReportsLineAndColumn(string text, int line, int column, string found)
    {
        var e = Fails(text);

        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.EndsWith("found " + found, e.What, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fp16 y = const()[val = fp16(1.0.0)];", 1, 29, "malformed number")]
    [InlineData("string y = const()[val = string(\"abc)];", 1, 33, "unterminated string")]
    [InlineData("string y = const()[val = string(\"a\\qb\")];", 1, 35, "unknown escape")]
    [InlineData("fp16 y = const()[val = fp16(1)]; # hash", 1, 34, "unexpected character")]
    [InlineData("fp16 y = const()[val = fp16(1)]; /* open", 1, 34, "unterminated '/*'")]
    [InlineData("int8 y = const()[val = int8(200)];", 1, 29, "out of range for int8")]
    [InlineData("tensor<int32, [3]> y = const()[val = tensor<int32, [3]>([1, 2])];", 1, 38, "has 2 elements, expected 3")]
    [InlineData("tensor<int32, [2, 2]> y = const()[val = tensor<int32, [2, 2]>([[1, 2, 3], [4]])];", 1, 64, "3 elements on axis 1, expected 2")]
    [InlineData("tensor<int32, [2]> y = const()[val = tensor<int32, [2]>(BLOBFILE(path = string(\"w\")))];", 1, 57, "missing its offset")]
    public void Parse_BadToken_ReportsItsPosition(string statement, int line, int column, string what)
    {
        // Wrap puts the statement on line 4 from column 9; line and column here are relative to the statement.
        var e = Fails(MilParserTests.Wrap(statement, "x"));

        Assert.Equal((line + 3, column + 8), (e.Line, e.Column));
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NameAssignedTwice_NamesItAndBothLines()
    {
        var e = Fails(MilParserTests.Wrap("fp16 y = relu(x = x);\n        fp16 y = relu(x = x);", "y"));

        Assert.Equal((5, 14), (e.Line, e.Column));
        Assert.Contains("'y' is assigned twice: line 4 and line 5", e.What, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ParameterReassigned_IsAnSsaViolation()
    {
        var e = Fails(MilParserTests.Wrap("fp16 x = relu(x = x);", "x"));

        Assert.Contains("'x' is assigned twice: line 3 and line 4", e.What, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UndefinedReference_ReportsItsPosition()
    {
        var e = Fails(MilParserTests.Wrap("fp16 y = add(x = x, y = z)[name = string(\"y\")];", "y"));

        Assert.Equal((4, 33), (e.Line, e.Column));
        Assert.Equal("'z' is not defined", e.What);
    }

    [Fact]
    public void Parse_OwnOutputReference_IsUndefined()
    {
        var e = Fails(MilParserTests.Wrap("fp16 y = add(x = x, y = y);", "y"));

        Assert.Equal("'y' is not defined", e.What);
    }

    [Fact]
    public void Parse_ReferenceIntoAnotherFunction_IsUndefined()
    {
        var text = "program(1.3) {\n  func a(fp16 p) {\n  } -> (p);\n  func main(fp16 x) {\n    fp16 y = relu(x = p);\n  } -> (y);\n}";

        var e = Fails(text);

        Assert.Equal((5, 23), (e.Line, e.Column));
    }

    [Fact]
    public void Parse_UndefinedReferenceInTuple_IsReported()
    {
        var e = Fails(MilParserTests.Wrap("fp16 y = concat(values = (x, q));", "y"));

        Assert.Equal("'q' is not defined", e.What);
    }

    [Fact]
    public void Parse_UndefinedReturn_IsReported()
    {
        var e = Fails(MilParserTests.Wrap("fp16 y = relu(x = x);", "y, w"));

        Assert.Equal((5, 14), (e.Line, e.Column));
        Assert.Contains("returns 'w', which is not defined", e.What, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EveryTruncation_ParsesOrThrowsMilException()
    {
        foreach (var sample in MilSamples.All)
        {
            for (var n = 0; n <= sample.Length; n++)
            {
                var prefix = sample[..n];
                try
                {
                    MilParser.Parse(prefix);
                }
                catch (MilException e)
                {
                    Assert.True(e.Line >= 1 && e.Column >= 1, $"prefix of length {n}: position {e.Line}:{e.Column}");
                }
            }
        }
    }

    [Fact]
    public void Parse_RandomByteCorruption_OnlyThrowsMilException()
    {
        var rng = new Random(1234);
        const string alphabet = "()[]{}<>,=;-\"\\/*x0.p9 \n#";
        foreach (var sample in MilSamples.All)
        {
            for (var trial = 0; trial < 300; trial++)
            {
                var chars = sample.ToCharArray();
                for (var k = 0; k < 3; k++) chars[rng.Next(chars.Length)] = alphabet[rng.Next(alphabet.Length)];
                try
                {
                    MilParser.Parse(new string(chars));
                }
                catch (MilException)
                {
                    // expected for most corruptions
                }
            }
        }
    }
}
