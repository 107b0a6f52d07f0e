// What the macOS device hands the private API: the weights dictionary (step 1), the temp folder's files (step 3),
// the files a delta patch rewrites (section 3), the request's indices (step 8) and shared-folder counting.
using Orion.Engine.Ane;
using Orion.Engine.Ane.Apple;
using Orion.Engine.Ane.Doctor;
using Xunit;

namespace Orion.Engine.Tests.Ane.Apple;

public sealed class ProgramLayoutTests
{
    private static AneProgramSource Conv(ulong seed) => ProbePrograms.Conv(ProbePrograms.ConvWeights(seed)).ToSource();

    [Fact]
    public void WeightsDictionary_KeyedByExactMilPath_OffsetZero_WholeBlob()
    {
        var source = Conv(1);
        var entry = Assert.Single(ProgramLayout.WeightsDictionary(source));
        Assert.Equal("@model_path/weights/w.bin", entry.Key);
        Assert.Contains("\"@model_path/weights/w.bin\"", source.MilText, StringComparison.Ordinal);
        Assert.Equal(0, entry.Offset);
        Assert.Same(source.Weights["@model_path/weights/w.bin"], entry.Data);
    }

    [Fact]
    public void WeightsDictionary_WeightFreeProgram_EmptyNotNull()
    {
        var entries = ProgramLayout.WeightsDictionary(ProbePrograms.AddCase(1).Source);
        Assert.NotNull(entries);
        Assert.Empty(entries);
    }

    [Fact]
    public void WeightsDictionary_KeysInOrdinalOrder()
    {
        var source = new AneProgramSource("program(1.3) {}", new Dictionary<string, byte[]>
        {
            ["@model_path/weights/wb.bin"] = [2],
            ["@model_path/weights/Wa.bin"] = [1],
            ["@model_path/weights/wa.bin"] = [3],
        });
        Assert.Equal(["@model_path/weights/Wa.bin", "@model_path/weights/wa.bin", "@model_path/weights/wb.bin"],
            ProgramLayout.WeightsDictionary(source).Select(e => e.Key));
    }

    [Theory]
    [InlineData("@model_path/../escape.bin")]
    [InlineData("@model_path//abs.bin")]
    [InlineData("@model_path/")]
    public void WeightsDictionary_KeyLeavingTheFolder_RefusedBeforeAnyNativeCall(string key)
    {
        var source = new AneProgramSource("program(1.3) {}", new Dictionary<string, byte[]> { [key] = [1] });
        Assert.Throws<ArgumentException>(() => ProgramLayout.WeightsDictionary(source));
    }

    [Fact]
    public void Folder_IsTempPlusHexId()
    {
        Assert.Equal(Path.Combine("/var/folders/xy/T", "0a1B2c"), ProgramLayout.Folder("/var/folders/xy/T", "0a1B2c"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("../etc")]
    [InlineData("id with space")]
    public void Folder_IdThatIsNotAPlainName_Refused(string id)
    {
        Assert.Throws<ArgumentException>(() => ProgramLayout.Folder("/tmp", id));
    }

    [Fact]
    public void FolderFiles_ModelMilAsUtf8ThenBlobsWithoutModelPathPrefix()
    {
        var source = Conv(2);
        var files = ProgramLayout.FolderFiles(source);
        Assert.Equal(["model.mil", "weights/w.bin"], files.Select(f => f.RelativePath));
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(source.MilText), files[0].Bytes);
        Assert.Equal(source.Weights["@model_path/weights/w.bin"], files[1].Bytes);
    }

    [Fact]
    public void PatchFiles_SingleWeightProgramWithData_RewritesDataToo()
    {
        var original = Conv(3);
        var changed = Conv(4).Weights.ToDictionary();
        var files = ProgramLayout.PatchFiles(original, changed, dataFileExists: true);
        Assert.Equal(["weights/w.bin", "data"], files.Select(f => f.RelativePath));
        Assert.Equal(files[0].Bytes, files[1].Bytes);
        Assert.Equal(["weights/w.bin"], ProgramLayout.PatchFiles(original, changed, dataFileExists: false).Select(f => f.RelativePath));
    }

    [Fact]
    public void PatchFiles_SeveralWeights_NoDataRewrite()
    {
        var original = new AneProgramSource("m", new Dictionary<string, byte[]> { ["@model_path/weights/a.bin"] = [1], ["@model_path/weights/b.bin"] = [2] });
        var files = ProgramLayout.PatchFiles(original, new Dictionary<string, byte[]> { ["@model_path/weights/b.bin"] = [3] }, dataFileExists: true);
        Assert.Equal(["weights/b.bin"], files.Select(f => f.RelativePath));
    }

    [Fact]
    public void RequestIndices_ZeroToCountMinusOne()
    {
        var (i, o) = ProgramLayout.RequestIndices(3, 2);
        Assert.Equal([0, 1, 2], i);
        Assert.Equal([0, 1], o);
        Assert.Throws<ArgumentException>(() => ProgramLayout.RequestIndices(ProgramLayout.MaxRequestBuffers + 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProgramLayout.RequestIndices(-1, 1));
    }

    [Fact]
    public void SharedFolders_DeletedOnlyByTheLastUser()
    {
        var f = new SharedFolders();
        f.Acquire("/t/abc");
        f.Acquire("/t/abc");
        Assert.Equal(2, f.Users("/t/abc"));
        Assert.False(f.Release("/t/abc"));
        Assert.True(f.Release("/t/abc"));
        Assert.Equal(0, f.Users("/t/abc"));
        Assert.Throws<InvalidOperationException>(() => f.Release("/t/abc"));
    }
}
