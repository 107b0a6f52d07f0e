// Tests for the on-disk program cache: hit/miss, fingerprint invalidation, identity rules, corrupt and leftover entries.
using Orion.Engine.Ane;
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;
using Xunit;

namespace Orion.Engine.Tests.Ane;

public sealed class ProgramCacheTests : IDisposable
{
    private const string Mil = "program(1.3) { func main<ios18>(tensor<fp16, [1, 64, 1, 32]> x) { } -> (x); }";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "orion-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void GetOrCompile_SecondCall_HitsWithoutCompiling()
    {
        var cache = new ProgramCache(_dir);
        using var device = new FakeDevice();
        var source = Source(("@model_path/weights/w.bin", [1, 2, 3]));

        var first = cache.GetOrCompile(device, source);
        var second = cache.GetOrCompile(device, source);

        Assert.Equal(CacheOutcome.Miss, first.Outcome);
        Assert.Equal(CacheOutcome.Hit, second.Outcome);
        Assert.Equal(1, device.CompileCount);
        Assert.Equal(1, device.LoadCompiledCount);
        Assert.Equal((1, 1, 0), (cache.Hits, cache.Misses, cache.Invalidations));
        Assert.True(File.Exists(Path.Combine(cache.EntryDirectory(source.Identity), FakeDevice.MarkerFile)));
        Assert.True(File.Exists(Path.Combine(cache.EntryDirectory(source.Identity), "entry.json")));
        Assert.Equal(source.Identity, second.Program.Id);
    }

    [Fact]
    public void GetOrCompile_NewCacheInstanceSameDirectory_Hits()
    {
        using var device = new FakeDevice();
        var source = Source();
        new ProgramCache(_dir).GetOrCompile(device, source);

        var again = new ProgramCache(_dir).GetOrCompile(device, source);

        Assert.Equal(CacheOutcome.Hit, again.Outcome);
        Assert.Equal(1, device.CompileCount);
    }

    [Fact]
    public void GetOrCompile_FingerprintChanged_InvalidatesReportsAndRecompiles()
    {
        var cache = new ProgramCache(_dir);
        using var device = new FakeDevice();
        var source = Source();
        var oldFp = device.Fingerprint;
        var events = new List<CacheInvalidatedEventArgs>();
        cache.Invalidated += (_, e) => events.Add(e);
        cache.GetOrCompile(device, source);

        device.Fingerprint = oldFp with { OsBuild = "25A999" };
        var result = cache.GetOrCompile(device, source);

        Assert.Equal(CacheOutcome.Invalidated, result.Outcome);
        Assert.Equal(oldFp, result.OldFingerprint);
        Assert.Equal(2, device.CompileCount);
        Assert.Equal(0, device.LoadCompiledCount);
        Assert.Equal(1, cache.Invalidations);
        var e = Assert.Single(events);
        Assert.Equal((source.Identity, oldFp, device.Fingerprint), (e.Identity, e.OldFingerprint, e.NewFingerprint));

        // The fresh entry belongs to the new fingerprint.
        Assert.Equal(CacheOutcome.Hit, cache.GetOrCompile(device, source).Outcome);
        Assert.Equal(2, device.CompileCount);
    }

    [Fact]
    public void GetOrCompile_DifferentWeightKeys_SeparateEntries()
    {
        var cache = new ProgramCache(_dir);
        using var device = new FakeDevice();
        var a = Source(("@model_path/weights/a.bin", [1]));
        var b = Source(("@model_path/weights/b.bin", [1]));

        Assert.NotEqual(a.Identity, b.Identity);
        Assert.Equal(CacheOutcome.Miss, cache.GetOrCompile(device, a).Outcome);
        Assert.Equal(CacheOutcome.Miss, cache.GetOrCompile(device, b).Outcome);
        Assert.Equal(2, device.CompileCount);
    }

    [Fact]
    public void GetOrCompile_SameKeysDifferentWeightContent_SameEntry()
    {
        var cache = new ProgramCache(_dir);
        using var device = new FakeDevice();
        var a = Source(("@model_path/weights/w.bin", [1, 2]));
        var b = Source(("@model_path/weights/w.bin", [9, 9, 9]));

        cache.GetOrCompile(device, a);
        var result = cache.GetOrCompile(device, b);

        Assert.Equal(a.Identity, b.Identity);
        Assert.Equal(CacheOutcome.Hit, result.Outcome);
        Assert.Equal(1, device.CompileCount);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("{\"identity\": \"x\"}")]
    [InlineData("[]")]
    public void GetOrCompile_CorruptEntryJson_MissReplacedAndCounted(string json)
    {
        var cache = new ProgramCache(_dir);
        using var device = new FakeDevice();
        var source = Source();
        cache.GetOrCompile(device, source);
        var entryJson = Path.Combine(cache.EntryDirectory(source.Identity), "entry.json");
        File.WriteAllText(entryJson, json);

        var result = cache.GetOrCompile(device, source);

        Assert.Equal(CacheOutcome.Miss, result.Outcome);
        Assert.Equal(1, cache.CorruptEntries);
        Assert.NotNull(cache.LastCorruptEntryProblem);
        Assert.Equal(2, device.CompileCount);
        Assert.Equal(CacheOutcome.Hit, cache.GetOrCompile(device, source).Outcome);
    }

    [Fact]
    public void GetOrCompile_TamperedFingerprintInEntryJson_TreatedAsCorrupt()
    {
        var cache = new ProgramCache(_dir);
        using var device = new FakeDevice();
        var source = Source();
        cache.GetOrCompile(device, source);
        var entryJson = Path.Combine(cache.EntryDirectory(source.Identity), "entry.json");
        File.WriteAllText(entryJson, File.ReadAllText(entryJson).Replace("24A335", "99Z999", StringComparison.Ordinal));

        Assert.Equal(CacheOutcome.Miss, cache.GetOrCompile(device, source).Outcome);
        Assert.Equal((1, 0), (cache.CorruptEntries, cache.Invalidations));
    }

    [Fact]
    public void GetOrCompile_EntryWithoutEntryJson_MissAndReplaced()
    {
        var cache = new ProgramCache(_dir);
        using var device = new FakeDevice();
        var source = Source();
        var half = cache.EntryDirectory(source.Identity);
        Directory.CreateDirectory(half);
        File.WriteAllText(Path.Combine(half, FakeDevice.MarkerFile), "half");

        Assert.Equal(CacheOutcome.Miss, cache.GetOrCompile(device, source).Outcome);
        Assert.True(File.Exists(Path.Combine(half, "entry.json")));
        Assert.Equal(CacheOutcome.Hit, cache.GetOrCompile(device, source).Outcome);
    }

    [Fact]
    public void GetOrCompile_LeftoverTempDirectories_Ignored()
    {
        var cache = new ProgramCache(_dir);
        using var device = new FakeDevice();
        var source = Source();
        var leftover = Path.Combine(_dir, $".tmp-{source.Identity}-1234-deadbeef");
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(leftover, FakeDevice.MarkerFile), "crashed mid-write");

        var first = cache.GetOrCompile(device, source);
        var second = cache.GetOrCompile(device, source);

        Assert.Equal((CacheOutcome.Miss, CacheOutcome.Hit), (first.Outcome, second.Outcome));
        Assert.Equal(0, cache.CorruptEntries);
        Assert.Equal(1, device.CompileCount);
    }

    [Fact]
    public void GetOrCompile_ArtifactsUnloadable_CountedAsCorruptAndRecompiled()
    {
        var cache = new ProgramCache(_dir);
        using var device = new FakeDevice();
        var source = Source();
        cache.GetOrCompile(device, source);
        File.Delete(Path.Combine(cache.EntryDirectory(source.Identity), FakeDevice.MarkerFile));

        Assert.Equal(CacheOutcome.Miss, cache.GetOrCompile(device, source).Outcome);
        Assert.Equal(1, cache.CorruptEntries);
        Assert.Equal(2, device.CompileCount);
    }

    [Fact]
    public void GetOrCompile_ConcurrentCallers_CompileOnce()
    {
        var cache = new ProgramCache(_dir);
        using var device = new FakeDevice();
        var source = Source();

        var outcomes = new CacheOutcome[8];
        Parallel.For(0, outcomes.Length, i => outcomes[i] = cache.GetOrCompile(device, source).Outcome);

        Assert.Equal(1, device.CompileCount);
        Assert.Equal((7, 1), (cache.Hits, cache.Misses));
    }

    private static AneProgramSource Source(params (string Key, byte[] Data)[] weights) =>
        new(Mil, weights.ToDictionary(w => w.Key, w => w.Data, StringComparer.Ordinal));

    /// <summary>Counts compiles and loads; SaveCompiled writes a marker that LoadCompiled requires.</summary>
    private sealed class FakeDevice : IAneDevice
    {
        public IReadOnlyList<Orion.Engine.Restrictions.AneDiagnostic> LastWarnings => [];
        public const string MarkerFile = "compiled.marker";
        private int _compiles, _loads;

        public DeviceFingerprint Fingerprint { get; set; } = new("fake", "m4", "24A335", DeviceFingerprint.OrionCompilerVersion);
        public ChipProfile Profile => ChipProfile.Default;
        public int CompileCount => Volatile.Read(ref _compiles);
        public int LoadCompiledCount => Volatile.Read(ref _loads);

        public AneProgram Compile(AneProgramSource source)
        {
            Interlocked.Increment(ref _compiles);
            return new FakeProgram(source);
        }

        public AneProgram LoadCompiled(AneProgramSource source, string artifactDirectory)
        {
            var marker = Path.Combine(artifactDirectory, MarkerFile);
            if (File.ReadAllText(marker) != source.Identity)
                throw new InvalidDataException($"{marker} does not hold identity {source.Identity}");
            Interlocked.Increment(ref _loads);
            return new FakeProgram(source);
        }

        public void SaveCompiled(AneProgram program, string artifactDirectory) =>
            File.WriteAllText(Path.Combine(artifactDirectory, MarkerFile), program.Id);

        public void Load(AneProgram program) => throw new NotSupportedException();
        public void Unload(AneProgram program) => throw new NotSupportedException();
        public void Evaluate(AneProgram program, IReadOnlyList<AneSurface> inputs, IReadOnlyList<AneSurface> outputs) => throw new NotSupportedException();
        public void PatchWeights(AneProgram program, IReadOnlyDictionary<string, byte[]> weightFiles) => throw new NotSupportedException();
        public AneSurface CreateSurface(int byteCount) => new ManagedSurface(byteCount);
        public void Release(AneProgram program) { }
        public void Dispose() { }
    }

    private sealed class FakeProgram(AneProgramSource source)
        : AneProgram(source, Path.GetTempPath(), Array.Empty<MilBinding>(), Array.Empty<MilBinding>(), new SurfacePlan([], []));
}
