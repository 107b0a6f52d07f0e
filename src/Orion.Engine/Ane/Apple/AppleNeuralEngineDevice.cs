// The real ANE on macOS through the private AppleNeuralEngine framework, following ane-reference.md section 2
// step by step (and section 3 for delta patches). C# and P/Invoke only: objc_msgSend through typed function
// pointers (Native/ObjC.cs), Foundation objects as their toll-free bridged CoreFoundation twins, IOSurfaces for
// tensors. Every program goes through the same front end as the emulator first, so a restriction violation is
// reported with its rule id instead of an opaque ANECCompile() failure.
//
// Ownership: objects returned by the framework are autoreleased; each public call runs inside its own autorelease
// pool, and whatever outlives the call (descriptor, model, request) is retained here and released in Release or
// Dispose. CoreFoundation objects we create are +1 and released as soon as the receiving object holds them.
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Orion.Engine.Ane.Apple.Native;
using Orion.Engine.IO;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Ane.Apple;

[SupportedOSPlatform("macos")]
public sealed unsafe partial class AppleNeuralEngineDevice : IAneDevice
{
    private readonly AppleDeviceOptions _options;
    private readonly CompileBudget _budget;
    private readonly Runtime _rt;
    private readonly string _temporaryDirectory;
    private readonly SharedFolders _folders = new();
    private readonly List<AppleProgram> _programs = [];
    private readonly Lock _gate = new();
    private readonly nint _emptyOptions;
    private int _compileCount;
    private bool _disposed;

    private AppleNeuralEngineDevice(AppleDeviceOptions options, Runtime rt, AppleChip chip, string osBuild, string temporaryDirectory)
    {
        if (options.Qos > NativeConstants.MaxQos)
            throw new ArgumentOutOfRangeException(nameof(options), options.Qos, $"QoS must be 0-{NativeConstants.MaxQos} (section 2; 21 is what every public caller uses)");
        _options = options;
        _rt = rt;
        Chip = chip;
        Profile = options.Profile ?? chip.Profile;
        _budget = options.Budget ?? CompileBudget.AneProcess;
        _temporaryDirectory = temporaryDirectory;
        _emptyOptions = CF.MutableDictionary();
        Fingerprint = new DeviceFingerprint("ane", chip.Id, osBuild, DeviceFingerprint.OrionCompilerVersion);
    }

    /// <summary>
    /// Opens the device: checks the host, dlopens the private framework, resolves its classes and reads the chip and
    /// OS build. Throws <see cref="DeviceUnavailableException"/> with the reason when any of that fails.
    /// </summary>
    public static AppleNeuralEngineDevice Open(AppleDeviceOptions? options = null)
    {
        options ??= new AppleDeviceOptions();
        var why = DeviceSelection.WhyNoAne(HostFacts.Current());
        if (why is not null) throw new DeviceUnavailableException($"the Apple Neural Engine device cannot start: {why}");
        if (!NativeLibrary.TryLoad(NativeLibraries.AppleNeuralEngine, out _))
            throw new DeviceUnavailableException($"dlopen(\"{NativeLibraries.AppleNeuralEngine}\") failed: this macOS has no loadable AppleNeuralEngine framework; use --device emulated");
        var missing = MessageSignatures.Classes.Where(c => !ObjC.HasClass(c)).ToList();
        if (missing.Count > 0)
            throw new DeviceUnavailableException($"the AppleNeuralEngine framework loaded but lacks {string.Join(", ", missing)}: this macOS version changed the private API. Run `orion doctor` and report its output; use --device emulated meanwhile");
        var pool = ObjC.PushPool();
        try
        {
            var rt = new Runtime();
            var subType = CF.ToManaged(ObjC.SendId(rt.DeviceInfo, rt.AneSubType));
            var chip = AppleChip.Parse(SystemInfo.Sysctl("machdep.cpu.brand_string"), subType);
            string osBuild;
            try
            {
                osBuild = OsBuild.Parse(SystemInfo.Sysctl("kern.osversion"));
            }
            catch (InvalidOperationException e)
            {
                throw new DeviceUnavailableException($"the Apple Neural Engine device cannot start: {e.Message}");
            }
            return new AppleNeuralEngineDevice(options, rt, chip, osBuild, SystemInfo.TemporaryDirectory());
        }
        finally
        {
            ObjC.PopPool(pool);
        }
    }

    public AppleChip Chip { get; }
    public DeviceFingerprint Fingerprint { get; }
    public ChipProfile Profile { get; }
    public int CompileCount => Volatile.Read(ref _compileCount);
    public CompileBudget Budget => _budget;
    public DeltaPatchMode DeltaPatch => _options.DeltaPatch;

    /// <summary>Warnings (e.g. R17) raised by the last compile or cache load.</summary>
    public IReadOnlyList<AneDiagnostic> LastWarnings { get; private set; } = [];

    /// <summary>_ANEDeviceInfo hasANE and numANECores, for `orion doctor`.</summary>
    public (bool HasAne, uint Cores) DeviceInfo()
    {
        lock (_gate)
            return (ObjC.SendBool(_rt.DeviceInfo, _rt.HasAne), ObjC.SendUInt32(_rt.DeviceInfo, _rt.NumAneCores));
    }

    // ---- Steps 1-4: descriptor, model, hex id, temp folder, compile ------------------------------------------------

    public AneProgram Compile(AneProgramSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var checkedProgram = AneFrontEnd.Check(source, Profile, enforceCatalog: !_options.ProbeWithoutChecks);
        _budget.Consume(); // R05: every attempt counts, as on the hardware
        Interlocked.Increment(ref _compileCount);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var pool = ObjC.PushPool();
            try
            {
                var p = Prepare(source, checkedProgram);
                try
                {
                    CallQos(p.Model, _rt.CompileWithQos, "compile (step 4)");
                }
                catch
                {
                    Discard(p);
                    throw;
                }
                Track(p);
                LastWarnings = checkedProgram.Warnings;
                return p;
            }
            finally
            {
                ObjC.PopPool(pool);
            }
        }
    }

    /// <summary>Steps 1-3 for <paramref name="source"/>: a retained descriptor and model, and the program's folder written and acquired.</summary>
    private AppleProgram Prepare(AneProgramSource source, CheckedProgram checkedProgram)
    {
        var (descriptor, model, hexId) = CreateModel(source);
        string folder;
        try
        {
            folder = ProgramLayout.Folder(_temporaryDirectory, hexId);
            _folders.Acquire(folder);
        }
        catch
        {
            ObjC.Release(model);
            ObjC.Release(descriptor);
            throw;
        }
        var p = new AppleProgram(source, folder, checkedProgram, hexId, descriptor, model);
        try
        {
            // Step 3: model.mil and every blob at its path minus @model_path/. Another live program with the same id
            // shares this folder; its weights are baked (R07), and Load rewrites a program's own weights first.
            WriteFiles(folder, ProgramLayout.FolderFiles(source), inPlace: false);
        }
        catch
        {
            Discard(p);
            throw;
        }
        return p;
    }

    /// <summary>Steps 1-3: descriptor from MIL bytes and the weights dictionary, model, hex id. Returns +1 references.</summary>
    private (nint Descriptor, nint Model, string HexId) CreateModel(AneProgramSource source)
    {
        nint mil = 0, weights = 0, descriptor = 0, model = 0;
        try
        {
            mil = CF.Data(source.MilBytes); // R09: NSData of UTF-8 bytes, never an NSString
            weights = WeightsDictionary(ProgramLayout.WeightsDictionary(source));
            descriptor = ObjC.Retain(ObjC.SendIdIdIdId(_rt.DescriptorClass, _rt.ModelWithMilText, mil, weights, 0)); // optionsPlist: nil
            if (descriptor == 0)
                throw new AneNativeException("descriptor (step 1)", "+[_ANEInMemoryModelDescriptor modelWithMILText:weights:optionsPlist:]",
                    "returned nil: the framework rejected the MIL bytes or the weights dictionary");
            model = ObjC.Retain(ObjC.SendIdId(_rt.ModelClass, _rt.InMemoryModelWithDescriptor, descriptor));
            if (model == 0)
                throw new AneNativeException("model (step 2)", "+[_ANEInMemoryModel inMemoryModelWithDescriptor:]", "returned nil");
            var hexId = CF.ToManaged(ObjC.SendId(model, _rt.HexStringIdentifier));
            if (string.IsNullOrWhiteSpace(hexId))
                throw new AneNativeException("hex id (step 3)", "-[_ANEInMemoryModel hexStringIdentifier]", "returned nil or an empty string");
            return (descriptor, model, hexId);
        }
        catch
        {
            ObjC.Release(model);
            ObjC.Release(descriptor);
            throw;
        }
        finally
        {
            CF.Release(weights);
            CF.Release(mil);
        }
    }

    /// <summary>The step-1 weights dictionary: path -> { offset: 0, data: NSData }; empty (never nil) without weights (R11).</summary>
    private static nint WeightsDictionary(IReadOnlyList<WeightsEntry> entries)
    {
        var dict = CF.MutableDictionary();
        try
        {
            foreach (var e in entries)
            {
                nint key = 0, inner = 0, offsetKey = 0, offset = 0, dataKey = 0, data = 0;
                try
                {
                    key = CF.String(e.Key);
                    inner = CF.MutableDictionary();
                    offsetKey = CF.String("offset");
                    offset = CF.Int32(e.Offset);
                    dataKey = CF.String("data");
                    data = CF.Data(e.Data);
                    CF.Set(inner, offsetKey, offset);
                    CF.Set(inner, dataKey, data);
                    CF.Set(dict, key, inner);
                }
                finally
                {
                    CF.Release(data);
                    CF.Release(dataKey);
                    CF.Release(offset);
                    CF.Release(offsetKey);
                    CF.Release(inner);
                    CF.Release(key);
                }
            }
            return dict;
        }
        catch
        {
            CF.Release(dict);
            throw;
        }
    }

    // ---- Step 5: load (one retry after ~100 ms); step 10: unload -----------------------------------------------------

    public void Load(AneProgram program)
    {
        var p = Own(program);
        lock (_gate)
        {
            CheckLive(p);
            if (p.IsLoaded) return;
            var pool = ObjC.PushPool();
            try
            {
                // A folder shared with another program of the same id may hold that program's weights: put ours back.
                if (_folders.Users(p.Folder) > 1)
                    WriteFiles(p.Folder, ProgramLayout.PatchFiles(p.Source, p.CurrentWeights, DataFileExists(p)), inPlace: true);
                LoadModel(p.Model);
                p.IsLoaded = true;
            }
            finally
            {
                ObjC.PopPool(pool);
            }
        }
    }

    private void LoadModel(nint model)
    {
        try
        {
            CallQos(model, _rt.LoadWithQos, "load (step 5)");
        }
        catch (AneNativeException first)
        {
            Thread.Sleep(100); // section 2 step 5: the load is retried once after ~100 ms
            try
            {
                CallQos(model, _rt.LoadWithQos, "load (step 5)");
            }
            catch (AneNativeException second)
            {
                throw new AneNativeException(second.Step, second.Call, $"{second.Description} (the first attempt 100 ms earlier failed too: {first.Description})");
            }
        }
    }

    public void Unload(AneProgram program)
    {
        var p = Own(program);
        lock (_gate)
        {
            CheckLive(p);
            if (!p.IsLoaded) return;
            var pool = ObjC.PushPool();
            try
            {
                p.IsLoaded = false; // even if unload reports failure, the program must be loaded again before use
                CallQos(p.Model, _rt.UnloadWithQos, "unload (step 10)");
            }
            finally
            {
                ObjC.PopPool(pool);
            }
        }
    }

    // ---- Steps 6-9: surfaces, wrapped surfaces, request (built once, reused), evaluate ------------------------------

    public AneSurface CreateSurface(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(byteCount);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new AppleSurface(byteCount, this);
    }

    public void Evaluate(AneProgram program, IReadOnlyList<AneSurface> inputs, IReadOnlyList<AneSurface> outputs)
    {
        var p = Own(program);
        DeviceChecks.Evaluate(p, inputs, outputs, Profile, checkSizes: !_options.ProbeWithoutChecks);
        if (inputs.Concat(outputs).Any(s => s is not AppleSurface a || !ReferenceEquals(a.Owner, this)))
            throw new ArgumentException("every surface must come from this device's CreateSurface (IOSurfaces the ANE can map)");
        lock (_gate)
        {
            CheckLive(p);
            if (!p.IsLoaded) throw new InvalidOperationException($"program {p.Id[..16]} was unloaded while this evaluation waited");
            foreach (var s in inputs.Concat(outputs)) _ = ((AppleSurface)s).Handle; // a disposed surface fails here, not on the ANE
            var pool = ObjC.PushPool();
            try
            {
                var request = RequestFor(p, inputs, outputs);
                nint error = 0;
                if (!ObjC.SendBoolQosIdIdError(p.Model, _rt.EvaluateWithQos, _options.Qos, _emptyOptions, request, &error))
                    throw Failure("evaluate (step 9)", _rt.EvaluateWithQos, error);
            }
            finally
            {
                ObjC.PopPool(pool);
            }
        }
    }

    /// <summary>The request for these surfaces: reused while the caller binds the same surfaces (step 8), rebuilt otherwise.</summary>
    private nint RequestFor(AppleProgram p, IReadOnlyList<AneSurface> inputs, IReadOnlyList<AneSurface> outputs)
    {
        if (p.Request != 0 && SameSurfaces(p.RequestInputs, inputs) && SameSurfaces(p.RequestOutputs, outputs)) return p.Request;
        var (inputIndices, outputIndices) = ProgramLayout.RequestIndices(inputs.Count, outputs.Count);
        var owned = new List<nint>();
        try
        {
            nint Wrap(AneSurface s)
            {
                var w = ObjC.SendIdSurface(_rt.SurfaceObjectClass, _rt.ObjectWithIOSurface, ((AppleSurface)s).Handle); // step 7 (autoreleased)
                return w != 0 ? w : throw new AneNativeException("wrapped surfaces (step 7)", "+[_ANEIOSurfaceObject objectWithIOSurface:]", "returned nil");
            }
            nint Own(nint cf)
            {
                owned.Add(cf);
                return cf;
            }
            nint Numbers(int[] values) => Own(CF.Array(values.Select(v => Own(CF.Int32(v))).ToArray()));
            var inArray = Own(CF.Array(inputs.Select(Wrap).ToArray()));
            var outArray = Own(CF.Array(outputs.Select(Wrap).ToArray()));
            var request = ObjC.Retain(ObjC.SendIdId7(_rt.RequestClass, _rt.RequestWithInputs,
                inArray, Numbers(inputIndices), outArray, Numbers(outputIndices), 0, 0, Own(CF.Int32(0)))); // weightsBuffer nil, perfStats nil, procedureIndex @0
            if (request == 0)
                throw new AneNativeException("request (step 8)", "+[_ANERequest requestWithInputs:inputIndices:outputs:outputIndices:weightsBuffer:perfStats:procedureIndex:]", "returned nil");
            ObjC.Release(p.Request);
            p.Request = request;
            p.RequestInputs = [.. inputs];
            p.RequestOutputs = [.. outputs];
            return request;
        }
        finally
        {
            foreach (var cf in owned) CF.Release(cf); // the request retains its arrays, the arrays their elements
        }
    }

    private static bool SameSurfaces(AneSurface[] cached, IReadOnlyList<AneSurface> given)
    {
        if (cached.Length != given.Count) return false;
        for (int i = 0; i < cached.Length; i++)
            if (!ReferenceEquals(cached[i], given[i]) || cached[i] is AppleSurface { IsAlive: false }) return false;
        return true;
    }

    // ---- Helpers ---------------------------------------------------------------------------------------------------

    /// <summary>Sends a BOOL-returning QoS message with an NSError** and turns NO into an exception naming the step.</summary>
    private void CallQos(nint model, Sel sel, string step)
    {
        nint error = 0;
        bool ok = sel.Signature.Shape switch
        {
            MessageShape.BoolQosIdError => ObjC.SendBoolQosIdError(model, sel, _options.Qos, _emptyOptions, &error), // options: empty dictionary
            MessageShape.BoolQosError => ObjC.SendBoolQosError(model, sel, _options.Qos, &error),
            _ => throw new InvalidOperationException($"{sel.Signature.Selector} is not a QoS message"),
        };
        if (!ok) throw Failure(step, sel, error);
    }

    private AneNativeException Failure(string step, Sel sel, nint error)
    {
        // The NSError is autoreleased: read its description now, inside the caller's pool.
        var text = error == 0 ? null : CF.ToManaged(ObjC.SendId(error, _rt.Description));
        return new AneNativeException(step, $"-[_ANEInMemoryModel {sel.Signature.Selector}]", AneNativeException.DescribeError(text, sel.Signature.Selector));
    }

    private static void WriteFiles(string folder, IReadOnlyList<FolderFile> files, bool inPlace)
    {
        Directory.CreateDirectory(folder);
        foreach (var f in files)
        {
            var path = Path.Combine(folder, f.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (inPlace) AtomicFile.OverwriteInPlace(path, f.Bytes, flushToDisk: false);
            else AtomicFile.WriteAllBytes(path, f.Bytes);
        }
    }

    private static bool DataFileExists(AppleProgram p) => File.Exists(Path.Combine(p.Folder, ProgramLayout.CompiledDataFileName));

    private void Track(AppleProgram p)
    {
        lock (_programs) _programs.Add(p);
    }

    /// <summary>Inside <c>_gate</c>: the device and the program are still usable (another thread may have disposed or released them meanwhile).</summary>
    private void CheckLive(AppleProgram p)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (p.Released) throw new InvalidOperationException($"program {p.Id[..16]} was released");
    }

    private AppleProgram Own(AneProgram program)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (program is not AppleProgram p) throw new ArgumentException("the program was compiled by another device", nameof(program));
        if (p.Released) throw new InvalidOperationException($"program {p.Id[..16]} was released");
        lock (_programs)
            if (!_programs.Contains(p)) throw new ArgumentException("the program was compiled by another ANE device instance", nameof(program));
        return p;
    }
}
