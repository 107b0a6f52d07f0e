// The program cache with the real emulated device: a hit skips compile; an OS update invalidates and recompiles.
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Compiler;
using Orion.Engine.Programs;
using Orion.Engine.Tests.Support;
using Xunit;

namespace Orion.Engine.Tests.Ane;

public sealed class ProgramCacheEmulatorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "orion-cache-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private static EmulatedAneDevice Device(string os) => new(new EmulatedDeviceOptions { OsBuild = os, Budget = new CompileBudget(10) });

    [Fact]
    public void GetOrCompile_SecondTime_HitWithoutCompile_OsUpdateInvalidates()
    {
        var src = OrionCompiler.Compile(CompositePrograms.Build("rmsnorm")).ToSource();
        var cache = new ProgramCache(_dir);
        var x = Ref.Random(64 * 64, 1);
        float[] Run(IAneDevice d, AneProgram p)
        {
            d.Load(p);
            using var s = new AneSession(d, p);
            return s.Run(new Dictionary<string, float[]> { ["x"] = x })["y"];
        }

        using var d1 = Device("23A100");
        var first = cache.GetOrCompile(d1, src);
        Assert.Equal(CacheOutcome.Miss, first.Outcome);
        var expected = Run(d1, first.Program);

        using var d2 = Device("23A100");
        var second = cache.GetOrCompile(d2, src);
        Assert.Equal(CacheOutcome.Hit, second.Outcome);
        Assert.Equal(0, d2.CompileCount);
        Assert.Equal(expected, Run(d2, second.Program));

        using var d3 = Device("24B200");
        var invalidated = new List<string>();
        cache.Invalidated += (_, e) => invalidated.Add(e.OldFingerprint.OsBuild);
        var third = cache.GetOrCompile(d3, src);
        Assert.Equal(CacheOutcome.Invalidated, third.Outcome);
        Assert.Equal("23A100", third.OldFingerprint!.OsBuild);
        Assert.Equal(["23A100"], invalidated);
        Assert.Equal(1, d3.CompileCount);
        Assert.Equal(1, cache.Invalidations);
        Assert.Equal(expected, Run(d3, third.Program));
    }
}
