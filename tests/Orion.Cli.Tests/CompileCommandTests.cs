// End-to-end tests of `orion compile` (cli-contract.md): program folders, program.json, chips, pass dumps, multi-blob,
// and clear one-paragraph failures for unknown models, chips and passes.
using System.Text.Json;
using Orion.Engine.Programs;
using Xunit;

namespace Orion.Cli.Tests;

public sealed class CompileCommandTests
{
    public static TheoryData<string> Composites() => [.. CompositePrograms.Builders.Keys];

    [Fact]
    public void Compile_Composites_WritesOneFolderPerProgram()
    {
        using var tmp = new TempDir();

        var r = Cli.Ok("compile", "--model", "composites", "--out", tmp.Root);

        foreach (var name in CompositePrograms.Builders.Keys)
        {
            var dir = tmp.At(name);
            Assert.True(File.Exists(Path.Combine(dir, "model.mil")), $"{name}: model.mil");
            Assert.True(File.Exists(Path.Combine(dir, "program.json")), $"{name}: program.json");
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "weights"), "*.bin"));
            Assert.StartsWith("program(1.3)", File.ReadAllText(Path.Combine(dir, "model.mil")), StringComparison.Ordinal);
            Assert.Contains($"compiled {name} for m4", r.Out, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Composites))]
    public void Compile_EachComposite_ProgramJsonListsInterfaceAndWeightMap(string name)
    {
        using var tmp = new TempDir();

        var dir = Cli.Compile(name, tmp.Root);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "program.json")));
        var root = json.RootElement;
        Assert.Equal(name, root.GetProperty("name").GetString());
        Assert.Equal("m4", root.GetProperty("chip").GetString());
        var input = Assert.Single(root.GetProperty("inputs").EnumerateArray());
        Assert.Equal("x", input.GetProperty("name").GetString());
        Assert.Equal([1, CompositePrograms.Channels, 1, CompositePrograms.Seq], input.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(input.GetProperty("surfaceBytes").GetInt32() >= 49_152, "R04 minimum surface");
        var output = Assert.Single(root.GetProperty("outputs").EnumerateArray());
        Assert.Equal("y", output.GetProperty("name").GetString());
        Assert.Equal(4, output.GetProperty("shape").GetArrayLength());
        Assert.True(output.GetProperty("surfaceBytes").GetInt32() >= output.GetProperty("packedBytes").GetInt32());
        var weights = root.GetProperty("weights").EnumerateArray().ToList();
        Assert.NotEmpty(weights);
        foreach (var w in weights)
        {
            var path = w.GetProperty("path").GetString()!;
            Assert.StartsWith("@model_path/weights/", path, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, path["@model_path/".Length..])), path);
            Assert.Equal(64UL, w.GetProperty("offset").GetUInt64());
        }
        Assert.Equal(["in:x", "out:y"], root.GetProperty("bindingOrder").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("m1")]
    [InlineData("m3")]
    [InlineData("m4")]
    [InlineData("m5")]
    public void Compile_KnownChip_RecordsChipInManifest(string chip)
    {
        using var tmp = new TempDir();

        var dir = Cli.Compile("rmsnorm", tmp.Root, "--chip", chip);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "program.json")));
        Assert.Equal(chip, json.RootElement.GetProperty("chip").GetString());
    }

    [Fact]
    public void Compile_UnknownChip_FailsListingChips()
    {
        using var tmp = new TempDir();

        var r = Cli.Run("compile", "--model", "rmsnorm", "--out", tmp.Root, "--chip", "m9");

        Cli.AssertUserError(r, "'m9'", "m1, m3, m4, m5");
        Assert.False(Directory.Exists(tmp.At("rmsnorm")));
    }

    [Theory]
    [InlineData("legalize")]
    [InlineData("fuse")]
    [InlineData("layout")]
    [InlineData("weights")]
    public void Compile_DumpAfterGraphPass_PrintsGraph(string pass)
    {
        using var tmp = new TempDir();

        var r = Cli.Ok("compile", "--model", "layernorm", "--out", tmp.Root, "--dump-after", pass);

        Assert.Contains($"// after pass '{pass}'", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("program(1.3)", r.Out, StringComparison.Ordinal);
        var dump = r.Out[r.Out.IndexOf("// after pass", StringComparison.Ordinal)..];
        Assert.True(dump.Split('\n').Length > 3, dump);
    }

    [Fact]
    public void Compile_DumpAfterEmit_PrintsMilText()
    {
        using var tmp = new TempDir();

        var r = Cli.Ok("compile", "--model", "layernorm", "--out", tmp.Root, "--dump-after", "emit");

        var after = r.Out[(r.Out.IndexOf("// after pass 'emit'\n", StringComparison.Ordinal) + "// after pass 'emit'\n".Length)..];
        Assert.StartsWith("program(1.3)", after, StringComparison.Ordinal);
        Assert.Contains(File.ReadAllText(tmp.At("layernorm", "model.mil")), after, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_UnknownPass_FailsListingPasses()
    {
        using var tmp = new TempDir();

        var r = Cli.Run("compile", "--model", "layernorm", "--out", tmp.Root, "--dump-after", "optimize");

        Cli.AssertUserError(r, "'optimize'", "legalize, fuse, layout, weights, emit");
    }

    [Fact]
    public void Compile_MultiBlob_WritesOneWeightFile()
    {
        using var tmp = new TempDir();

        var dir = Cli.Compile("attention", tmp.Root, "--multi-blob");

        var file = Assert.Single(Directory.GetFiles(Path.Combine(dir, "weights")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "program.json")));
        var weights = json.RootElement.GetProperty("weights").EnumerateArray().ToList();
        Assert.True(weights.Count > 1);
        Assert.All(weights, w => Assert.EndsWith(Path.GetFileName(file), w.GetProperty("path").GetString()!, StringComparison.Ordinal));
        Assert.Equal(weights.Count, weights.Select(w => w.GetProperty("offset").GetUInt64()).Distinct().Count());
    }

    [Fact]
    public void Compile_MultiBlobOnM1_FailsCitingL07()
    {
        using var tmp = new TempDir();

        var r = Cli.Run("compile", "--model", "attention", "--out", tmp.Root, "--multi-blob", "--chip", "m1");

        Cli.AssertUserError(r, "L07", "m1");
    }

    [Fact]
    public void Compile_UnknownModel_FailsNamingKnownModels()
    {
        using var tmp = new TempDir();

        var r = Cli.Run("compile", "--model", "gpt9", "--out", tmp.Root);

        Cli.AssertUserError(r, "'gpt9'", "gpt2-tiny", "stories-110m", "attention", "layernorm", "rmsnorm", "gelu-ffn", "swiglu-ffn", "composites");
    }

    [Fact]
    public void Compile_ModelPreset_FourProgramsPerLayerThatMilRunExecutes()
    {
        using var tmp = new TempDir();
        var r = Cli.Ok("compile", "--model", "stories-tiny", "--out", tmp.Root);
        var dirs = Directory.GetDirectories(tmp.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(8, dirs.Length);
        Assert.Contains("stories-tiny-l1-bwd-attn", dirs);
        Assert.Contains("compiled stories-tiny-l0-fwd-attn for m4", r.Out, StringComparison.Ordinal);
        var x = TestData.WriteNpy(tmp.At("x.npy"), [1, 64, 1, 64]);
        var run = Cli.Ok("mil", "run", "--program", tmp.At("stories-tiny-l0-fwd-ffn"), "--input", "x=" + x, "--out", tmp.At("o"));
        foreach (var o in new[] { "g", "h", "ln", "u", "y" }) Assert.True(File.Exists(Path.Combine(tmp.At("o"), o + ".npy")), o);
    }

    [Fact]
    public void Compile_OutIsAFile_FailsBeforeCompiling()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.At("taken"), "");

        var r = Cli.Run("compile", "--model", "layernorm", "--out", tmp.At("taken"));

        Cli.AssertUserError(r, "--out", "taken", "is a file");
    }

    [Fact]
    public void Compile_NegativeSeed_UsageExit2()
    {
        using var tmp = new TempDir();

        var r = Cli.Run("compile", "--model", "layernorm", "--out", tmp.Root, "--seed", "-1");

        Assert.Equal(2, r.Exit);
        Cli.AssertUserError(r, "--seed '-1'", "whole number");
        Assert.DoesNotContain("System.", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_Seed_ChangesWeightsOnly()
    {
        using var tmp = new TempDir();

        var a = Cli.Compile("rmsnorm", tmp.At("a"), "--seed", "1");
        var b = Cli.Compile("rmsnorm", tmp.At("b"), "--seed", "2");

        Assert.Equal(File.ReadAllText(Path.Combine(a, "model.mil")), File.ReadAllText(Path.Combine(b, "model.mil")));
        var wa = Directory.GetFiles(Path.Combine(a, "weights")).Select(File.ReadAllBytes).ToList();
        var wb = Directory.GetFiles(Path.Combine(b, "weights")).Select(File.ReadAllBytes).ToList();
        Assert.NotEqual(wa.SelectMany(x => x), wb.SelectMany(x => x));
    }

    [Fact]
    public void Compile_MissingOut_UsageExit2()
    {
        var r = Cli.Run("compile", "--model", "layernorm");

        Assert.Equal(2, r.Exit);
        Cli.AssertUserError(r, "--out");
    }
}
