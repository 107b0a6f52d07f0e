// A fake ANE device for actor tests (issue 5, item 2): the emulator underneath, plus faults a test switches on —
// failing compiles or evaluations, hanging, corrupt (NaN) outputs, slowness, and a new OS build (a fingerprint
// change, as after an OS update). Faults are counted down, so a test says exactly how many operations misbehave.
using Orion.Engine.Ane;
using Orion.Engine.Ane.Emulated;
using Orion.Engine.Restrictions;

namespace Orion.TestKit.Devices;

public sealed class FakeAneDevice : IAneDevice
{
    private readonly EmulatedAneDevice _inner;
    private readonly ManualResetEventSlim _release = new(false);
    private int _failCompiles, _failEvaluations, _corruptOutputs, _hangs;
    private string _osBuild;
    private TimeSpan _slow;

    public FakeAneDevice(string osBuild = "fake-os-1", CompileBudget? budget = null)
    {
        _osBuild = osBuild;
        _inner = new EmulatedAneDevice(new EmulatedDeviceOptions { OsBuild = osBuild, Budget = budget ?? new CompileBudget(CompileBudget.DefaultLimit) });
    }

    public int Evaluations { get; private set; }

    /// <summary>Whether the last evaluation ran on a .NET thread-pool thread (device work should have a thread of its own).</summary>
    public bool EvaluatedOnThreadPool { get; private set; }

    /// <summary>Signalled when an evaluation starts hanging (so a test can wait for it, not for time).</summary>
    public ManualResetEventSlim Hanging { get; } = new(false);

    public void FailCompiles(int count) => Interlocked.Exchange(ref _failCompiles, count);
    public void FailEvaluations(int count) => Interlocked.Exchange(ref _failEvaluations, count);
    public void CorruptOutputs(int count) => Interlocked.Exchange(ref _corruptOutputs, count);
    public void HangEvaluations(int count) => Interlocked.Exchange(ref _hangs, count);
    public void BeSlow(TimeSpan perEvaluation) => _slow = perEvaluation;

    /// <summary>Reports a new OS build from now on, as a Mac does after an OS update.</summary>
    public void ReportOsBuild(string build) => Volatile.Write(ref _osBuild, build);

    /// <summary>Lets hanging evaluations return (they then fail).</summary>
    public void ReleaseHangs() => _release.Set();

    public DeviceFingerprint Fingerprint => _inner.Fingerprint with { OsBuild = Volatile.Read(ref _osBuild) };
    public ChipProfile Profile => _inner.Profile;
    public IReadOnlyList<AneDiagnostic> LastWarnings => _inner.LastWarnings;
    public int CompileCount => _inner.CompileCount;

    public AneProgram Compile(AneProgramSource source)
    {
        if (TakeOne(ref _failCompiles)) throw new InvalidOperationException("fake device: compile failed (injected)");
        return _inner.Compile(source);
    }

    public AneProgram LoadCompiled(AneProgramSource source, string artifactDirectory) => _inner.LoadCompiled(source, artifactDirectory);
    public void SaveCompiled(AneProgram program, string artifactDirectory) => _inner.SaveCompiled(program, artifactDirectory);
    public void Load(AneProgram program) => _inner.Load(program);
    public void Unload(AneProgram program) => _inner.Unload(program);

    public void Evaluate(AneProgram program, IReadOnlyList<AneSurface> inputs, IReadOnlyList<AneSurface> outputs)
    {
        Evaluations++;
        EvaluatedOnThreadPool = Thread.CurrentThread.IsThreadPoolThread;
        if (TakeOne(ref _hangs))
        {
            Hanging.Set();
            _release.Wait();
            throw new TimeoutException("fake device: the evaluation hung (injected) and was released");
        }
        if (TakeOne(ref _failEvaluations)) throw new InvalidOperationException("fake device: evaluation failed (injected)");
        if (_slow > TimeSpan.Zero) Thread.Sleep(_slow); // the device being slow, not a test waiting
        _inner.Evaluate(program, inputs, outputs);
        if (TakeOne(ref _corruptOutputs))
            foreach (var o in outputs)
            {
                var nan = new byte[o.ByteCount];
                Array.Fill(nan, (byte)0xFF); // all-ones is a NaN in fp16 and fp32 alike
                o.Write(nan);
            }
    }

    public void PatchWeights(AneProgram program, IReadOnlyDictionary<string, byte[]> weightFiles) => _inner.PatchWeights(program, weightFiles);
    public AneSurface CreateSurface(int byteCount) => _inner.CreateSurface(byteCount);
    public void Release(AneProgram program) => _inner.Release(program);

    public void Dispose()
    {
        _release.Set();
        _inner.Dispose();
    }

    private static bool TakeOne(ref int counter)
    {
        while (true)
        {
            int c = Volatile.Read(ref counter);
            if (c <= 0) return false;
            if (Interlocked.CompareExchange(ref counter, c - 1, c) == c) return true;
        }
    }
}
