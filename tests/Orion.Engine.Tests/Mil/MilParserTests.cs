// MilParser on valid input: the section-4 example, Core ML's dialect, literals, BLOBFILE, tuples, comments.
using Orion.Engine.Mil;
using Orion.Engine.Tensors;
using Xunit;

namespace Orion.Engine.Tests.Mil;

public sealed class MilParserTests
{
    private static MilStatement Find(MilFunction f, string output) => f.Statements.Single(s => s.Outputs.Any(o => o.Name == output));

    private static MilLiteral Val(MilFunction f, string output) => Assert.IsType<MilLiteral>(Find(f, output).Operand("val"));

    [Fact]
    public void Parse_Section4Example_BuildsTree()
    {
        var p = MilParser.Parse(MilSamples.Section4);

        Assert.Equal("1.3", p.Version);
        Assert.Equal(MilProgram.DefaultBuildInfo, p.BuildInfo);
        var main = p.Main;
        Assert.Equal("ios18", main.Opset);
        var x = Assert.Single(main.Parameters);
        Assert.Equal(new MilBinding("x", MilType.Tensor(DType.Fp16, 1, 256, 1, 64)), x);
        Assert.Equal(2, main.Statements.Count);
        Assert.Equal("const", main.Statements[0].Op);
        Assert.Equal("valid", Val(main, "pt").AsString());
        Assert.Empty(main.Statements[0].Arguments);
        var relu = main.Statements[1];
        Assert.Equal("relu", relu.Op);
        Assert.Equal(new MilRef("x"), relu.Argument("x"));
        Assert.Equal("y", ((MilLiteral)relu.Attribute("name")!).AsString());
        Assert.Equal(["y"], main.Outputs);
    }

    [Fact]
    public void Parse_Statements_RecordOneBasedLines()
    {
        var main = MilParser.Parse(MilSamples.Section4).Main;

        Assert.Equal(5, main.Statements[0].Line);
        Assert.Equal(6, main.Statements[1].Line);
    }

    [Fact]
    public void Parse_RealisticProgram_ReadsDecimalsWeightsAndTuples()
    {
        var main = MilParser.Parse(MilSamples.Realistic).Main;

        Assert.Equal(0.00001, Val(main, "eps").AsDouble());
        Assert.Equal(-1e-05, Val(main, "tiny").AsDouble());
        Assert.Equal(-0.5, Val(main, "nh").AsDouble());
        Assert.Equal(-3, Val(main, "cax").AsInt());
        Assert.True(Val(main, "kd").AsBool());
        Assert.Equal([0L, 0, 0, 0], Val(main, "pd").AsInts());
        var w = Assert.IsType<MilBlobFile>(Find(main, "W").Operand("val"));
        Assert.Equal(new MilBlobFile(MilType.Tensor(DType.Fp16, 64, 64, 1, 1), "@model_path/weights/w.bin", 64), w);
        var values = Assert.IsType<MilTuple>(Find(main, "cat").Argument("values"));
        Assert.Equal<MilValue>([new MilRef("out"), new MilRef("y")], values.Items);
        Assert.Equal(["cat", "out"], main.Outputs);
    }

    [Fact]
    public void Parse_RankZeroForms_KeepTheirSpelling()
    {
        var main = MilParser.Parse(MilSamples.Realistic).Main;

        var bare = Find(main, "eps").Output.Type;
        var tensor = Find(main, "half").Output.Type;
        Assert.Null(bare.Shape);
        Assert.Equal(Shape.Scalar, tensor.Shape);
        Assert.True(bare.SameAs(MilType.Scalar(DType.Fp16)) && tensor.SameAs(bare));
        Assert.Equal(0.5, Val(main, "half").AsDouble());
        var text = MilPrinter.Print(MilParser.Parse(MilSamples.Realistic));
        Assert.Contains("fp16 eps = const()", text, StringComparison.Ordinal);
        Assert.Contains("tensor<fp16, []> half = const()[name = string(\"half\"), val = tensor<fp16, []>([0x1p-1])];", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ConstexprAffineDequantize_KeepsOperandsInAttributes()
    {
        var w = Find(MilParser.Parse(MilSamples.Features).Main, "w");

        Assert.Empty(w.Arguments);
        Assert.Equal(["axis", "name", "quantized_data", "scale", "zero_point"], w.Attributes.Select(a => a.Name));
        var blob = Assert.IsType<MilBlobFile>(w.Operand("quantized_data"));
        Assert.Equal("@model_path/weights/sub/a.bin", blob.Path);
        Assert.Equal(192UL, blob.Offset);
        Assert.Equal(MilType.Tensor(DType.Int8, 4, 8), blob.Type);
        Assert.Equal([0.125, 24, -0.25, Math.ScaleB(1, -24)], ((MilLiteral)w.Operand("scale")!).AsDoubles());
        Assert.Equal([0L, -1, 127, -128], ((MilLiteral)w.Operand("zero_point")!).AsInts());
    }

    [Fact]
    public void Parse_MultipleOutputs_AcceptsBothSpellings()
    {
        var main = MilParser.Parse(MilSamples.Features).Main;

        Assert.Equal(["a", "b"], Find(main, "a").Outputs.Select(o => o.Name));
        Assert.Equal(["c", "d"], Find(main, "c").Outputs.Select(o => o.Name));
        Assert.Equal(["e", "b", "c", "d"], main.Outputs);
    }

    [Fact]
    public void Parse_MultipleFunctions_ScopesNamesPerFunction()
    {
        var p = MilParser.Parse(MilSamples.Features);

        Assert.Equal(["main", "helper"], p.Functions.Select(f => f.Name));
        Assert.Null(p.BuildInfo);
        Assert.Null(p.Functions[0].Opset);
        Assert.Equal("ios17", p.Functions[1].Opset);
        Assert.Empty(p.Functions[1].Parameters);
        Assert.Equal(["t"], p.Functions[1].Outputs);
    }

    [Fact]
    public void Parse_TensorLiterals_FlattenRowMajorForRanksZeroToThree()
    {
        var f = MilParser.Parse(MilSamples.Features);
        var main = f.Main;

        Assert.Equal([true], Val(f.Functions[1], "t").Elements);
        Assert.Equal([0L, 128, 255], Val(main, "u").AsInts());
        Assert.Equal([1.0, 2, 3, 4], Val(main, "m").AsDoubles());
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8], Val(main, "k").AsInts());
    }

    [Fact]
    public void Parse_RankTwoLiteral_AcceptsFlatSpellingToo()
    {
        var flat = MilParser.Parse(Wrap("tensor<int32, [2, 2]> k = const()[val = tensor<int32, [2, 2]>([1, 2, 3, 4])];", "k"));

        Assert.Equal([1L, 2, 3, 4], Val(flat.Main, "k").AsInts());
    }

    [Fact]
    public void Parse_StringEscapes_Decode()
    {
        var main = MilParser.Parse(MilSamples.Features).Main;

        Assert.Equal("a\"b\\c\nd", Val(main, "esc").AsString());
    }

    [Fact]
    public void Parse_FloatSpecials_ReadInfAndNan()
    {
        var d = Val(MilParser.Parse(MilSamples.Features).Main, "sp").AsDoubles();

        Assert.Equal(double.PositiveInfinity, d[0]);
        Assert.Equal(double.NegativeInfinity, d[1]);
        Assert.True(double.IsNaN(d[2]));
    }

    [Fact]
    public void Parse_Comments_AreSkippedAndKeepLineNumbers()
    {
        var text = "// leading\nprogram(1.3) /* a\n b */ {\n    func main(fp16 x) { // c\n        fp16 y = relu(x = x); /* d */\n    } -> (y);\n}\n// trailing";

        var main = MilParser.Parse(text).Main;

        Assert.Equal(5, main.Statements[0].Line);
        Assert.Equal("relu", main.Statements[0].Op);
    }

    [Fact]
    public void Parse_OldStyleBuildInfoTypes_AreAccepted()
    {
        var text = "program(1.0)\n[buildInfo = dict<tensor<string, []>, tensor<string, []>>({{\"k\", \"v\"}})]\n{\n    func main(fp16 x) {\n    } -> (x);\n}\n";

        var p = MilParser.Parse(text);

        Assert.Equal([new KeyValuePair<string, string>("k", "v")], p.BuildInfo);
    }

    [Fact]
    public void Parse_HexFloatScalars_AreExact()
    {
        var main = MilParser.Parse(Wrap(
            "fp16 a = const()[val = fp16(0x1p-3)];\n fp16 b = const()[val = fp16(0x1.8p+4)];\n fp16 c = const()[val = fp16(-0x1p-2)];\n fp16 d = const()[val = fp16(0x1p-24)];\n fp16 e = const()[val = fp16(0x1.ffcp+15)];",
            "e")).Main;

        Assert.Equal(0.125, Val(main, "a").AsDouble());
        Assert.Equal(24.0, Val(main, "b").AsDouble());
        Assert.Equal(-0.25, Val(main, "c").AsDouble());
        Assert.Equal((double)BitConverter.UInt16BitsToHalf(1), Val(main, "d").AsDouble());
        Assert.Equal((double)Half.MaxValue, Val(main, "e").AsDouble());
    }

    internal static string Wrap(string statements, string output) =>
        $"program(1.3)\n{{\n    func main(tensor<fp16, [1, 4, 1, 4]> x) {{\n        {statements}\n    }} -> ({output});\n}}\n";
}
