// MilPrinter: the exact section-4 layout, literal spelling, and print -> parse -> print stability.
using Orion.Engine.Mil;
using Orion.Engine.Tensors;
using Xunit;

namespace Orion.Engine.Tests.Mil;

public sealed class MilPrinterTests
{
    [Fact]
    public void Print_Section4Tree_MatchesReferenceLayout()
    {
        var x = new MilBinding("x", MilType.Tensor(DType.Fp16, 1, 256, 1, 64));
        var pt = new MilStatement([new("pt", MilType.Scalar(DType.String))], "const", [],
            [new("name", MilLiteral.String("pt")), new("val", MilLiteral.String("valid"))]);
        var y = new MilStatement([new("y", x.Type)], "relu", [new("x", new MilRef("x"))], [new("name", MilLiteral.String("y"))]);
        var p = new MilProgram("1.3", MilProgram.DefaultBuildInfo, [new MilFunction("main", "ios18", [x], [pt, y], ["y"])]);

        Assert.Equal(MilSamples.Section4, MilPrinter.Print(p));
    }

    [Fact]
    public void Print_NoBuildInfoOpsetOrAttributes_OmitsThem()
    {
        var x = new MilBinding("x", MilType.Scalar(DType.Fp16));
        var y = new MilStatement([new("y", x.Type)], "relu", [new("x", new MilRef("x"))], []);
        var p = new MilProgram("1.3", null, [new MilFunction("main", null, [x, new("z", x.Type)], [y], ["y", "z"])]);

        Assert.Equal("program(1.3)\n{\n    func main(fp16 x, fp16 z) {\n        fp16 y = relu(x = x);\n    } -> (y, z);\n}\n", MilPrinter.Print(p));
    }

    [Fact]
    public void Print_Literals_UseHexFloatsAndNestedBrackets()
    {
        var text = MilPrinter.Print(MilParser.Parse(MilSamples.Features));

        Assert.Contains("scale = tensor<fp16, [4]>([0x1p-3, 0x1.8p+4, -0x1p-2, 0x1p-24])", text, StringComparison.Ordinal);
        Assert.Contains("tensor<fp16, [2, 2]>([[0x1p+0, 0x1p+1], [0x1.8p+1, 0x1p+2]])", text, StringComparison.Ordinal);
        Assert.Contains("tensor<int32, [2, 2, 2]>([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])", text, StringComparison.Ordinal);
        Assert.Contains("tensor<fp32, [3]>([inf, -inf, nan])", text, StringComparison.Ordinal);
        Assert.Contains("tensor<bool, []>([true])", text, StringComparison.Ordinal);
        Assert.Contains("val = string(\"a\\\"b\\\\c\\nd\")", text, StringComparison.Ordinal);
        Assert.Contains("BLOBFILE(path = string(\"@model_path/weights/sub/a.bin\"), offset = uint64(192))", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_MultipleOutputs_UsesUnparenthesisedSpelling()
    {
        var text = MilPrinter.Print(MilParser.Parse(MilSamples.Features));

        Assert.Contains("        tensor<fp16, [1, 4, 1, 4]> a, tensor<fp16, [1, 4, 1, 4]> b = split(x = x)[name = string(\"s\")];\n", text, StringComparison.Ordinal);
        Assert.Contains("    func helper<ios17>() {\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_DecimalInput_PrintsExactHex()
    {
        var text = MilPrinter.Print(MilParser.Parse(MilSamples.Realistic));

        Assert.Contains("fp16(0x1.4f8b588e368f1p-17)", text, StringComparison.Ordinal); // 0.00001 as a double
        Assert.Contains("fp16(-0x1p-1)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_LiteralWithWrongElementCount_Throws()
    {
        var bad = new MilLiteral(MilType.Tensor(DType.Int32, 3), [1L, 2L]);
        var st = new MilStatement([new("k", bad.Type)], "const", [], [new("val", bad)]);
        var p = new MilProgram("1.3", null, [new MilFunction("main", null, [], [st], ["k"])]);

        var e = Assert.Throws<MilException>(() => MilPrinter.Print(p));

        Assert.Contains("has 2 elements, expected 3", e.What, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("layer.0")]
    [InlineData("0x")]
    [InlineData("")]
    public void Print_UnparseableName_Throws(string name)
    {
        var st = new MilStatement([new(name, MilType.Scalar(DType.Bool))], "const", [], [new("val", MilLiteral.Bool(true))]);
        var p = new MilProgram("1.3", null, [new MilFunction("main", null, [], [st], [])]);

        var e = Assert.Throws<MilException>(() => MilPrinter.Print(p));

        Assert.Contains($"cannot print variable name '{name}'", e.What, StringComparison.Ordinal);
    }

    [Fact]
    public void PrintParsePrint_Samples_AreStable()
    {
        foreach (var sample in MilSamples.All)
        {
            var once = MilPrinter.Print(MilParser.Parse(sample));
            var twice = MilPrinter.Print(MilParser.Parse(once));

            Assert.Equal(once, twice);
        }
    }

    [Fact]
    public void PrintParsePrint_Section4_IsIdentity()
    {
        Assert.Equal(MilSamples.Section4, MilPrinter.Print(MilParser.Parse(MilSamples.Section4)));
    }

    [Fact]
    public void PrintParse_RandomPrograms_RoundTripExactly()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var p = MilRandomProgram.Generate(new Random(seed));
            var text = MilPrinter.Print(p);

            var parsed = MilParser.Parse(text);

            Assert.Equal(text, MilPrinter.Print(parsed));
            Assert.Equal(p.Functions.Sum(f => f.Statements.Count), parsed.Functions.Sum(f => f.Statements.Count));
            var lines = text.Split('\n');
            foreach (var st in parsed.Functions.SelectMany(f => f.Statements))
            {
                Assert.StartsWith("        ", lines[st.Line - 1], StringComparison.Ordinal);
                Assert.Contains(" = " + st.Op + "(", lines[st.Line - 1], StringComparison.Ordinal);
            }
        }
    }
}
