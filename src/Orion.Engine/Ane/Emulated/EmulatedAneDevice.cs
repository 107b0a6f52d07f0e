// The emulated ANE: executes the very MIL text a Mac would receive, enforcing the restriction catalog
// (ane-reference.md sections 1-3, 6, 7). Compile parses, checks and plans; load bakes the weight files into the
// plan; evaluate binds surfaces alphabetically and checks their sizes; a delta patch rewrites weight files in
// place and reloads without parsing or planning again.
using Orion.Engine.Mil;
using Orion.Engine.Restrictions;
using Orion.Engine.Tensors;

namespace Orion.Engine.Ane.Emulated;

public sealed partial class EmulatedAneDevice : IAneDevice
{
    private readonly CompileBudget _budget;
    private readonly string _workRoot;
    private readonly bool _ownsWorkRoot;
    private readonly TextWriter? _trace;
    private readonly List<EmulatedProgram> _programs = [];
    private int _compileCount;
    private int _sequence;
    private bool _disposed;

    public EmulatedAneDevice(EmulatedDeviceOptions? options = null)
    {
        options ??= new EmulatedDeviceOptions();
        Profile = options.Profile;
        _budget = options.Budget ?? CompileBudget.Process;
        _trace = options.Trace;
        _ownsWorkRoot = options.WorkRoot is null;
        if (options.WorkRoot is null) SweepDeadProcessFolders(SharedRoot);
        _workRoot = options.WorkRoot ?? Path.Combine(SharedRoot, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_workRoot);
        Fingerprint = new DeviceFingerprint("emulated", Profile.Name, EmulatedDeviceOptions.CheckOsBuild(options.OsBuild, "the emulated device's OS build") ?? EmulatedDeviceOptions.HostOsBuild(), DeviceFingerprint.OrionCompilerVersion);
    }

    private static readonly string SharedRoot = Path.Combine(Path.GetTempPath(), "orion-ane");

    // Work folders are named <pid>-<guid>; a process killed before Dispose leaves its folder behind. Remove those
    // whose process is gone (best effort: a folder in use by a live process is never touched).
    private static void SweepDeadProcessFolders(string root)
    {
        if (!Directory.Exists(root)) return;
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var name = Path.GetFileName(dir);
            int dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(name.AsSpan(0, dash), out var pid) || pid == Environment.ProcessId || IsAlive(pid)) continue;
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public DeviceFingerprint Fingerprint { get; }
    public ChipProfile Profile { get; }
    public int CompileCount => Volatile.Read(ref _compileCount);
    public CompileBudget Budget => _budget;

    /// <summary>Warnings (e.g. R17) raised by the last compile or cache load.</summary>
    public IReadOnlyList<AneDiagnostic> LastWarnings { get; private set; } = [];

    public AneProgram Compile(AneProgramSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _budget.Consume(); // every attempt counts, as on the hardware
        Interlocked.Increment(ref _compileCount);
        return Prepare(source);
    }

    public AneProgram LoadCompiled(AneProgramSource source, string artifactDirectory)
    {
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_disposed, this);
        // The emulator's "microcode" is its execution plan, rebuilt from the MIL without touching the compile budget.
        if (!File.Exists(Path.Combine(artifactDirectory, ArtifactMarker)))
            throw new FileNotFoundException($"'{artifactDirectory}' holds no emulator artifacts ({ArtifactMarker} missing); it was not written by SaveCompiled");
        return Prepare(source);
    }

    private const string ArtifactMarker = "emulated-program.txt";

    public void SaveCompiled(AneProgram program, string artifactDirectory)
    {
        var p = Own(program);
        p.Source.WriteTo(artifactDirectory);
        AtomicFile.WriteAllText(Path.Combine(artifactDirectory, ArtifactMarker), $"{p.Id}\n{Fingerprint}\n");
    }

    public void Load(AneProgram program)
    {
        var p = Own(program);
        if (p.IsLoaded) return;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in p.Plan.WeightPaths)
        {
            var path = Path.Combine(p.Folder, AneProgramSource.RelativePath(key));
            files[key] = File.ReadAllBytes(path);
        }
        p.Plan.BindWeights(files); // R07: baked; later edits to the files change nothing until the next load
        p.IsLoaded = true;
    }

    public void Unload(AneProgram program)
    {
        var p = Own(program);
        p.IsLoaded = false;
    }

    public AneSurface CreateSurface(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(byteCount);
        return new ManagedSurface(byteCount);
    }

    public void Release(AneProgram program)
    {
        if (program is EmulatedProgram { Released: true }) return;
        ReleaseOwned(Own(program));
    }

    private void ReleaseOwned(EmulatedProgram p)
    {
        p.IsLoaded = false;
        p.Released = true;
        lock (_programs) _programs.Remove(p);
        try { Directory.Delete(p.Folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        List<EmulatedProgram> all;
        lock (_programs) all = [.. _programs];
        foreach (var p in all) ReleaseOwned(p);
        if (_ownsWorkRoot)
        {
            try { Directory.Delete(_workRoot, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private EmulatedProgram Prepare(AneProgramSource source)
    {
        var checkedProgram = AneFrontEnd.Check(source, Profile);
        LastWarnings = checkedProgram.Warnings;
        var plan = ExecutionPlan.Build(checkedProgram.Main, Profile);
        var folder = Path.Combine(_workRoot, $"{source.Identity[..16]}-{Interlocked.Increment(ref _sequence)}");
        source.WriteTo(folder);
        var p = new EmulatedProgram(source, folder, checkedProgram.Main, plan, checkedProgram.Inputs, checkedProgram.Outputs, checkedProgram.Surfaces);
        lock (_programs) _programs.Add(p);
        return p;
    }

    private EmulatedProgram Own(AneProgram program)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (program is not EmulatedProgram p) throw new ArgumentException("the program was compiled by another device", nameof(program));
        if (p.Released) throw new InvalidOperationException($"program {p.Id[..16]} was released");
        lock (_programs)
            if (!_programs.Contains(p)) throw new ArgumentException("the program was compiled by another emulated device", nameof(program));
        return p;
    }
}
