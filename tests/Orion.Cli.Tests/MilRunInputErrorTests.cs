// `orion mil run` with bad inputs: wrong shape, missing or unknown --input, malformed specs, missing or corrupt .npy
// files; each gives one clear paragraph (what, value, expected, hint) and a non-zero exit, never a stack trace.
using Xunit;

namespace Orion.Cli.Tests;

public sealed class MilRunInputErrorTests
{
    private const string T = TestData.T64;

    private static string TwoInputProgram(TempDir tmp) => TestData.WriteProgram(tmp.At("p"), TestData.Mil($"{T} a, {T} b", "y",
        $"{T} y = add(x = a, y = b)[name = string(\"y\")];"));

    private static CliResult Run(TempDir tmp, string program, params string[] inputs) =>
        Cli.Run(["mil", "run", "--program", program, .. inputs.SelectMany(i => new[] { "--input", i }), "--out", tmp.At("o")]);

    [Fact]
    public void MilRun_WrongInputShape_GivesExpectedAndGot()
    {
        using var tmp = new TempDir();
        var program = TwoInputProgram(tmp);
        var a = TestData.WriteNpy(tmp.At("a.npy"), TestData.Shape64);
        var b = TestData.WriteNpy(tmp.At("b.npy"), [1, 32, 1, 64]);

        var r = Run(tmp, program, "a=" + a, "b=" + b);

        Cli.AssertUserError(r, "'b'", "[1, 32, 1, 64]", "expected", "[1, 64, 1, 64]");
        Assert.False(File.Exists(tmp.At("o", "y.npy")));
    }

    [Fact]
    public void MilRun_MissingInput_NamesItAndHowToPassIt()
    {
        using var tmp = new TempDir();
        var program = TwoInputProgram(tmp);
        var a = TestData.WriteNpy(tmp.At("a.npy"), TestData.Shape64);

        var r = Run(tmp, program, "a=" + a);

        Cli.AssertUserError(r, "'b'", "missing", "--input b=");
    }

    [Fact]
    public void MilRun_NoInputsAtAll_ListsProgramInputs()
    {
        using var tmp = new TempDir();
        var program = TwoInputProgram(tmp);

        var r = Run(tmp, program);

        Cli.AssertUserError(r, "missing", "a ", "b ");
    }

    [Fact]
    public void MilRun_UnknownInputName_ListsProgramInputs()
    {
        using var tmp = new TempDir();
        var program = TwoInputProgram(tmp);
        var a = TestData.WriteNpy(tmp.At("a.npy"), TestData.Shape64);

        var r = Run(tmp, program, "a=" + a, "b=" + a, "c=" + a);

        Cli.AssertUserError(r, "'c'", "inputs are a ");
    }

    [Fact]
    public void MilRun_OutIsAFile_FailsBeforeRunning()
    {
        using var tmp = new TempDir();
        var program = TwoInputProgram(tmp);
        var a = TestData.WriteNpy(tmp.At("a.npy"), TestData.Shape64);

        var r = Cli.Run("mil", "run", "--program", program, "--input", "a=" + a, "--input", "b=" + a, "--out", a);

        Cli.AssertUserError(r, "--out", "a.npy", "is a file");
    }

    [Theory]
    [InlineData("a")]
    [InlineData("=a.npy")]
    [InlineData("a=")]
    public void MilRun_MalformedInputSpec_ShowsExpectedForm(string spec)
    {
        using var tmp = new TempDir();
        var program = TwoInputProgram(tmp);

        var r = Run(tmp, program, spec);

        Cli.AssertUserError(r, $"'{spec}'", "NAME=FILE.npy");
    }

    [Fact]
    public void MilRun_InputGivenTwice_Rejected()
    {
        using var tmp = new TempDir();
        var program = TwoInputProgram(tmp);
        var a = TestData.WriteNpy(tmp.At("a.npy"), TestData.Shape64);

        var r = Run(tmp, program, "a=" + a, "a=" + a, "b=" + a);

        Cli.AssertUserError(r, "'a'", "twice");
    }

    [Fact]
    public void MilRun_MissingNpyFile_NamesFileAndInput()
    {
        using var tmp = new TempDir();
        var program = TwoInputProgram(tmp);
        var a = TestData.WriteNpy(tmp.At("a.npy"), TestData.Shape64);

        var r = Run(tmp, program, "a=" + a, "b=" + tmp.At("gone.npy"));

        Cli.AssertUserError(r, "gone.npy", "'b'");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    public void MilRun_CorruptNpy_NamesFileAndProblem(string kind)
    {
        using var tmp = new TempDir();
        var program = TwoInputProgram(tmp);
        var a = TestData.WriteNpy(tmp.At("a.npy"), TestData.Shape64);
        var bad = tmp.At("bad.npy");
        if (kind == "garbage") File.WriteAllText(bad, "this is not numpy");
        else File.WriteAllBytes(bad, File.ReadAllBytes(a)[..200]);

        var r = Run(tmp, program, "a=" + a, "b=" + bad);

        Cli.AssertUserError(r, "bad.npy", kind == "garbage" ? "magic" : "truncated");
    }

    [Fact]
    public void MilRun_MissingProgramOption_UsageExit2()
    {
        using var tmp = new TempDir();

        var r = Cli.Run("mil", "run", "--out", tmp.At("o"));

        Assert.Equal(2, r.Exit);
        Cli.AssertUserError(r, "--program");
    }

    [Fact]
    public void MilRun_UnknownFlag_UsageExit2()
    {
        using var tmp = new TempDir();
        var program = TwoInputProgram(tmp);

        var r = Cli.Run("mil", "run", "--program", program, "--out", tmp.At("o"), "--fast");

        Assert.Equal(2, r.Exit);
        Cli.AssertUserError(r, "--fast");
    }

    [Fact]
    public void MilRun_UnknownChip_FailsListingChips()
    {
        using var tmp = new TempDir();
        var program = TwoInputProgram(tmp);
        var a = TestData.WriteNpy(tmp.At("a.npy"), TestData.Shape64);

        var r = Cli.Run("mil", "run", "--program", program, "--input", "a=" + a, "--input", "b=" + a, "--out", tmp.At("o"), "--chip", "m2x");

        Cli.AssertUserError(r, "'m2x'", "m1, m3, m4, m5");
    }
}
