// Shared plumbing for the `orion` end-to-end tests: a temp folder per test, an in-process run with captured
// output, .npy/MIL helpers, and the error-rule assertion of cli-contract.md (one paragraph, no stack trace).
using Orion.Engine.IO;
using Orion.Engine.Programs;
using Orion.Engine.Tensors;
using Xunit;

namespace Orion.Cli.Tests;

/// <summary>A fresh folder under the temp dir, deleted with everything in it on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Root = Path.Combine(Path.GetTempPath(), "orion-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string At(params string[] parts) => Path.Combine([Root, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}

/// <summary>What one `orion` invocation did: exit code, stdout, stderr.</summary>
internal sealed record CliResult(int Exit, string Out, string Err);

internal static class Cli
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = OrionCli.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs and asserts success, showing stderr when it fails.</summary>
    public static CliResult Ok(params string[] args)
    {
        var r = Run(args);
        Assert.True(r.Exit == 0, $"exit {r.Exit}: {r.Err}");
        return r;
    }

    /// <summary>
    /// The error rule: non-zero but not 70 (internal error), one paragraph on stderr starting "orion:" (or "orion mil run:" for usage), no stack
    /// trace and no exception type names, and every expected fragment (case-insensitive) in it.
    /// </summary>
    public static void AssertUserError(CliResult r, params string[] mentions)
    {
        Assert.True(r.Exit != 0 && r.Exit != 70, $"exit {r.Exit}: {r.Err}");
        var err = r.Err.ReplaceLineEndings("\n").Trim();
        Assert.Matches("^orion( [a-z-]+)*: ", err);
        Assert.DoesNotContain("\n\n", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", err, StringComparison.Ordinal);
        foreach (var m in mentions) Assert.Contains(m, err, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Compiles <paramref name="model"/> into <paramref name="outDir"/> and returns the program folder.</summary>
    public static string Compile(string model, string outDir, params string[] extra)
    {
        Ok(["compile", "--model", model, "--out", outDir, .. extra]);
        return Path.Combine(outDir, model);
    }
}

internal static class TestData
{
    /// <summary>Writes a seeded fp16 .npy of <paramref name="shape"/> with values in [-1, 1).</summary>
    public static string WriteNpy(string path, int[] shape, ulong seed = 7, DType dtype = DType.Fp16)
    {
        int n = shape.Aggregate(1, (a, d) => a * d);
        var values = new SeededRandom(seed).Uniform(n, 1f);
        Npy.Write(path, new NpyArray(dtype, shape, values));
        return path;
    }

    /// <summary>fp16 little-endian bytes of <paramref name="values"/>, as a blob file stores them.</summary>
    public static byte[] Fp16Bytes(float[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), Fp16.FromSingle(values[i]));
        return bytes;
    }

    /// <summary>Wraps function body lines in the section-4 MIL program skeleton.</summary>
    public static string Mil(string parameters, string outputs, params string[] body) =>
        "program(1.3)\n" +
        "[buildInfo = dict<string, string>({{\"coremlc-component-MIL\", \"3510.2.1\"}, {\"coremltools-version\", \"9.0\"}})]\n" +
        "{\n" +
        $"    func main<ios18>({parameters}) {{\n" +
        string.Concat(body.Select(l => "        " + l + "\n")) +
        $"    }} -> ({outputs});\n" +
        "}\n";

    /// <summary>A program folder with the given MIL text and weight files (paths relative to the folder).</summary>
    public static string WriteProgram(string dir, string mil, params (string Path, byte[] Bytes)[] files)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "model.mil"), mil);
        foreach (var (rel, bytes) in files)
        {
            var full = Path.Combine(dir, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }
        return dir;
    }

    public const string T64 = "tensor<fp16, [1, 64, 1, 64]>";
    public static readonly int[] Shape64 = [1, 64, 1, 64];
}
