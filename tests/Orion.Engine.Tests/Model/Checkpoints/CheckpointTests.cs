// Checkpoint folders: a save/load round trip resumes training bit for bit, and corrupt, truncated or mismatched files
// are refused naming the file and the fault.
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Data;
using Orion.Engine.Model;
using Orion.Engine.Model.Checkpoints;
using Orion.Engine.Model.Training;
using Orion.Engine.Tests.Model.Training;
using Xunit;

namespace Orion.Engine.Tests.Model.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orion-ckpt-").FullName;
    private static readonly Lazy<ushort[]> Corpus = new(() => BuiltinCorpus.Tokens(300));

    public void Dispose() => Directory.Delete(_dir, true);

    private static void Train(TrainingState state, TrainingOptions o, int steps)
    {
        using var device = new EmulatedAneDevice();
        using var t = new Trainer(device, state, o, Corpus.Value);
        for (int i = 0; i < steps; i++) t.Step();
    }

    [Fact]
    public void SaveThenLoad_ResumedRun_MatchesUninterruptedRunBitForBit()
    {
        var o = TrainerTests.Tiny(4);
        var config = ModelConfig.Preset("gpt2-tiny");
        var straight = TrainingState.Fresh(config, o);
        Train(straight, o, 4);

        var first = TrainingState.Fresh(config, o);
        Train(first, o, 2);
        var folder = Path.Combine(_dir, Checkpoint.FolderName(2));
        Checkpoint.Save(folder, first, o, "builtin", Corpus.Value.Length, "byte");
        var resumed = LoadedCheckpoint.Load(folder).ToTrainingState();
        Assert.Equal(2, resumed.Step);
        Train(resumed, o, 2);

        Assert.Equal(straight.Step, resumed.Step);
        Assert.True(straight.Parameters.Data.AsSpan().SequenceEqual(resumed.Parameters.Data), "weights differ after resuming");
        Assert.True(straight.M.Data.AsSpan().SequenceEqual(resumed.M.Data), "AdamW moments differ after resuming");
        Assert.Equal(straight.Sampler, resumed.Sampler);
    }

    private string SavedFolder()
    {
        var state = TrainingState.Fresh(ModelConfig.Preset("stories-tiny"), TrainerTests.Tiny(1));
        var folder = Path.Combine(_dir, Checkpoint.FolderName(0));
        Checkpoint.Save(folder, state, null, "builtin", 0, "byte");
        return folder;
    }

    [Fact]
    public void Load_ModelFileByteFlipped_RefusedNamingFileAndSha()
    {
        var folder = SavedFolder();
        var path = Path.Combine(folder, Checkpoint.ModelFile);
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => LoadedCheckpoint.Load(folder));
        Assert.Contains(Checkpoint.ModelFile, e.Message);
        Assert.Contains("sha256", e.Message);
    }

    [Fact]
    public void Load_ManifestTruncated_RefusedNamingManifest()
    {
        var folder = SavedFolder();
        var path = Path.Combine(folder, Checkpoint.ManifestFile);
        File.WriteAllText(path, File.ReadAllText(path)[..40]);
        var e = Assert.Throws<InvalidDataException>(() => LoadedCheckpoint.Load(folder));
        Assert.Contains(Checkpoint.ManifestFile, e.Message);
    }

    [Fact]
    public void Load_BareModelFile_CarriesItsConfigAndSameHash()
    {
        var folder = SavedFolder();
        var whole = LoadedCheckpoint.Load(folder);
        var bare = LoadedCheckpoint.Load(Path.Combine(folder, Checkpoint.ModelFile));
        Assert.Equal(whole.Config, bare.Config);
        Assert.Equal(whole.WeightsHash(), bare.WeightsHash());
        Assert.Matches("^[0-9a-f]{64}$", bare.WeightsHash());
    }

    [Fact]
    public void Load_RunDirectory_TakesNewestCompleteCheckpoint()
    {
        var run = Path.Combine(_dir, "run");
        var state = TrainingState.Fresh(ModelConfig.Preset("stories-tiny"), TrainerTests.Tiny(1));
        foreach (var step in new[] { 1, 3 })
        {
            state.Step = step;
            Checkpoint.Save(Path.Combine(run, "checkpoints", Checkpoint.FolderName(step)), state, null, "builtin", 0, "byte");
        }
        Directory.CreateDirectory(Path.Combine(run, "checkpoints", Checkpoint.FolderName(5))); // incomplete: no manifest
        Assert.Equal(3, LoadedCheckpoint.Load(run).Manifest!.Step);
    }

    [Fact]
    public void ToTrainingState_WeightsOnly_RefusedSayingWhy()
    {
        var folder = SavedFolder();
        var bare = LoadedCheckpoint.Load(Path.Combine(folder, Checkpoint.ModelFile));
        var e = Assert.Throws<InvalidDataException>(() => bare.ToTrainingState());
        Assert.Contains("optimizer", e.Message);
    }
}
