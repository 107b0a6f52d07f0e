// `orion eval`, `orion generate` and `orion checkpoint hash` on a checkpoint `orion train` wrote (cli-contract.md).
using System.Globalization;
using Orion.Engine.Model;
using Orion.Engine.Model.Inference;
using Xunit;

namespace Orion.Cli.Tests;

public sealed class EvalGenerateHashTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly string _run;

    public EvalGenerateHashTests()
    {
        _run = _tmp.At("run");
        Cli.Ok("train", "--run-dir", _run, "--device", "emulated", "--steps", "2", "--batch", "2", "--seq", "64");
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Eval_TwoBatches_LastLineIsLossAndEqualsTheMeanOfTheBatches()
    {
        var r = Cli.Ok("eval", "--checkpoint", _run, "--data", "builtin", "--batches", "2", "--batch", "2", "--device", "emulated");
        var lines = r.Out.Trim().Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("loss ", lines[^1], StringComparison.Ordinal);
        double Value(string l) => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        Assert.Equal((Value(lines[0]) + Value(lines[1])) / 2, Value(lines[^1]), 5);
        Assert.InRange(Value(lines[^1]), 1.0, 6.0);
    }

    [Fact]
    public void Generate_SameSeed_SameTextStartingWithThePrompt()
    {
        string[] args = ["generate", "--checkpoint", _run, "--prompt", "Once upon", "--tokens", "20", "--seed", "3", "--device", "emulated"];
        var a = Cli.Ok(args).Out;
        Assert.StartsWith("Once upon", a, StringComparison.Ordinal);
        Assert.True(a.TrimEnd('\n', '\r').Length > "Once upon".Length, "nothing was generated");
        Assert.Equal(a, Cli.Ok(args).Out);
    }

    [Fact]
    public void Generate_WithLoraAdapter_DiffersFromTheBaseModel()
    {
        var adapterDir = _tmp.At("adapter");
        LoraAdapter.Random(ModelConfig.Preset("gpt2-tiny"), 4, 64f, 7).Save(adapterDir);
        string[] args = ["generate", "--checkpoint", _run, "--prompt", "Tom", "--tokens", "30", "--temperature", "0", "--device", "emulated"];
        var plain = Cli.Ok(args).Out;
        var adapted = Cli.Ok([.. args, "--lora", adapterDir]).Out;
        Assert.NotEqual(plain, adapted);
    }

    [Fact]
    public void CheckpointHash_FolderAndModelFile_OneLineSameHash()
    {
        var folder = Path.Combine(_run, "checkpoints", "step-000002");
        var a = Cli.Ok("checkpoint", "hash", folder).Out;
        var b = Cli.Ok("checkpoint", "hash", Path.Combine(folder, "model.safetensors")).Out;
        Assert.Matches("^[0-9a-f]{64}\r?\n$", a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void CheckpointHash_CorruptModel_ClearErrorNamingTheFile()
    {
        var file = Path.Combine(_run, "checkpoints", "step-000002", "model.safetensors");
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
        var r = Cli.Run("checkpoint", "hash", Path.Combine(_run, "checkpoints", "step-000002"));
        Cli.AssertUserError(r, "model.safetensors", "sha256");
    }
}
