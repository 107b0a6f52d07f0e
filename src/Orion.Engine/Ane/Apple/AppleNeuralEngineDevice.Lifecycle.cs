// Delta patch (section 3), program cache artifacts, release and cleanup (section 2 step 10) of the macOS device.
using System.Runtime.Versioning;
using Orion.Engine.Ane.Apple.Native;
using Orion.Engine.IO;
using Orion.Engine.Restrictions;

namespace Orion.Engine.Ane.Apple;

public sealed unsafe partial class AppleNeuralEngineDevice
{
    /// <summary>
    /// Section 3: unload, write the new weight files into the program's folder, load without compiling. The write mode
    /// and the descriptor follow <see cref="AppleDeviceOptions.DeltaPatch"/>; the compile count does not change.
    /// </summary>
    public void PatchWeights(AneProgram program, IReadOnlyDictionary<string, byte[]> weightFiles)
    {
        var p = Own(program);
        var merged = DeviceChecks.Patch(p.Main, p.CurrentWeights, weightFiles, Profile, enforceCatalog: !_options.ProbeWithoutChecks);

        // Copies: the caller may reuse its buffers, and SaveCompiled must write what the folder holds.
        var changed = weightFiles.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        lock (_gate)
        {
            CheckLive(p);
            var pool = ObjC.PushPool();
            try
            {
                if (_options.DeltaPatch == DeltaPatchMode.NewDescriptor) PatchWithNewDescriptor(p, merged, changed);
                else PatchFiles(p, changed);
                p.IsLoaded = true;
                p.PatchCount++;
            }
            finally
            {
                ObjC.PopPool(pool);
            }
        }
    }

    private void PatchFiles(AppleProgram p, IReadOnlyDictionary<string, byte[]> weightFiles)
    {
        if (p.IsLoaded)
        {
            p.IsLoaded = false;
            CallQos(p.Model, _rt.UnloadWithQos, "delta patch: unload");
        }
        // In place keeps the inode the loaded program's files were read from (Orion); the atomic variant replaces it.
        WriteFiles(p.Folder, ProgramLayout.PatchFiles(p.Source, weightFiles, DataFileExists(p)), inPlace: _options.DeltaPatch == DeltaPatchMode.InPlace);
        Written(p, weightFiles); // before the load: if it fails, the folder and CurrentWeights still agree
        LoadModel(p.Model);
    }

    /// <summary>The variant with a new descriptor: its id must equal the donor's, and it reuses the donor's folder.</summary>
    private void PatchWithNewDescriptor(AppleProgram p, Dictionary<string, byte[]> merged, IReadOnlyDictionary<string, byte[]> weightFiles)
    {
        var (descriptor, model, hexId) = CreateModel(new AneProgramSource(p.Source.MilText, merged));
        try
        {
            if (!string.Equals(hexId, p.HexId, StringComparison.Ordinal))
                throw new AneNativeException("delta patch (new descriptor)", "-[_ANEInMemoryModel hexStringIdentifier]",
                    $"the new descriptor's id {hexId} differs from the program's {p.HexId}, so it cannot reuse the compiled program; use --delta-patch in-place");
            if (p.IsLoaded)
            {
                p.IsLoaded = false;
                CallQos(p.Model, _rt.UnloadWithQos, "delta patch: unload");
            }
            WriteFiles(p.Folder, ProgramLayout.PatchFiles(p.Source, weightFiles, DataFileExists(p)), inPlace: true);
            Written(p, weightFiles);
            LoadModel(model);
        }
        catch
        {
            ObjC.Release(model);
            ObjC.Release(descriptor);
            throw;
        }
        // The donor's objects go; its folder stays, because the program (now holding the new model) still uses it.
        ObjC.Release(p.Model);
        ObjC.Release(p.Descriptor);
        p.Model = model;
        p.Descriptor = descriptor;
    }

    private static void Written(AppleProgram p, IReadOnlyDictionary<string, byte[]> weightFiles)
    {
        foreach (var (k, v) in weightFiles) p.CurrentWeights[k] = v;
    }

    // ---- Program cache ----------------------------------------------------------------------------------------------

    private const string ArtifactMarker = "ane-program.txt";

    public void SaveCompiled(AneProgram program, string artifactDirectory)
    {
        var p = Own(program);
        p.CurrentSource.WriteTo(artifactDirectory);
        AtomicFile.WriteAllText(Path.Combine(artifactDirectory, ArtifactMarker), $"{p.HexId}\n{Fingerprint}\n");
    }

    /// <summary>
    /// A cache hit: steps 1-3 again (cheap), then, when the ANE service still holds the compiled program for this id
    /// (<c>compiledModelExists</c>), no compile. When it does not, an <see cref="IOException"/> makes the cache recompile.
    /// </summary>
    public AneProgram LoadCompiled(AneProgramSource source, string artifactDirectory)
    {
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var marker = Path.Combine(artifactDirectory, ArtifactMarker);
        if (!File.Exists(marker))
            throw new FileNotFoundException($"'{artifactDirectory}' holds no ANE artifacts ({ArtifactMarker} missing); it was not written by SaveCompiled");
        var savedId = File.ReadLines(marker).FirstOrDefault()?.Trim() ?? "";
        var checkedProgram = AneFrontEnd.Check(source, Profile, enforceCatalog: !_options.ProbeWithoutChecks);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var pool = ObjC.PushPool();
            try
            {
                var p = Prepare(source, checkedProgram);
                if (!string.Equals(p.HexId, savedId, StringComparison.Ordinal) || !ObjC.SendBool(p.Model, _rt.CompiledModelExists))
                {
                    Discard(p);
                    throw new IOException($"the ANE service no longer holds compiled program {savedId} (cached under {artifactDirectory}); it will be compiled again");
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

    // ---- Step 10: unload, release, delete the folder ----------------------------------------------------------------

    public void Release(AneProgram program)
    {
        if (program is AppleProgram { Released: true }) return;
        var p = Own(program);
        lock (_gate)
        {
            if (p.Released) return;
            ObjectDisposedException.ThrowIf(_disposed, this);
            var pool = ObjC.PushPool();
            try
            {
                ReleaseOwned(p);
            }
            finally
            {
                ObjC.PopPool(pool);
            }
        }
    }

    private void ReleaseOwned(AppleProgram p)
    {
        lock (_programs) _programs.Remove(p);
        try
        {
            if (p.IsLoaded)
            {
                p.IsLoaded = false;
                CallQos(p.Model, _rt.UnloadWithQos, "unload (step 10)"); // skipping unload leaks device resources
            }
        }
        finally
        {
            Discard(p);
        }
    }

    /// <summary>Releases a program's objects and its claim on the folder; deletes the folder when no program uses it.</summary>
    private void Discard(AppleProgram p)
    {
        p.Released = true;
        ObjC.Release(p.Request);
        ObjC.Release(p.Model);
        ObjC.Release(p.Descriptor);
        p.Request = p.Model = p.Descriptor = 0;
        p.RequestInputs = p.RequestOutputs = [];
        if (_folders.Release(p.Folder))
        {
            try { Directory.Delete(p.Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public void Dispose()
    {
        var failures = new List<Exception>();
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true; // under the gate: every entry point re-checks it there
            List<AppleProgram> all;
            lock (_programs) all = [.. _programs];
            var pool = ObjC.PushPool();
            try
            {
                foreach (var p in all)
                {
                    try { ReleaseOwned(p); } catch (Exception e) when (e is not OutOfMemoryException) { failures.Add(e); }
                }
            }
            finally
            {
                ObjC.PopPool(pool);
                CF.Release(_emptyOptions);
            }
        }
        if (failures.Count > 0) throw new AggregateException("unloading programs while closing the ANE device failed", failures);
    }

    /// <summary>Classes and selectors resolved once per device (objc_getClass / sel_registerName).</summary>
    [SupportedOSPlatform("macos")]
    private sealed class Runtime
    {
        public nint DescriptorClass { get; } = ObjC.Class("_ANEInMemoryModelDescriptor");
        public nint ModelClass { get; } = ObjC.Class("_ANEInMemoryModel");
        public nint SurfaceObjectClass { get; } = ObjC.Class("_ANEIOSurfaceObject");
        public nint RequestClass { get; } = ObjC.Class("_ANERequest");
        public nint DeviceInfo { get; } = ObjC.Class("_ANEDeviceInfo");

        public Sel ModelWithMilText { get; } = ObjC.Selector(MessageSignatures.ModelWithMilText);
        public Sel InMemoryModelWithDescriptor { get; } = ObjC.Selector(MessageSignatures.InMemoryModelWithDescriptor);
        public Sel HexStringIdentifier { get; } = ObjC.Selector(MessageSignatures.HexStringIdentifier);
        public Sel CompileWithQos { get; } = ObjC.Selector(MessageSignatures.CompileWithQos);
        public Sel LoadWithQos { get; } = ObjC.Selector(MessageSignatures.LoadWithQos);
        public Sel ObjectWithIOSurface { get; } = ObjC.Selector(MessageSignatures.ObjectWithIOSurface);
        public Sel RequestWithInputs { get; } = ObjC.Selector(MessageSignatures.RequestWithInputs);
        public Sel EvaluateWithQos { get; } = ObjC.Selector(MessageSignatures.EvaluateWithQos);
        public Sel UnloadWithQos { get; } = ObjC.Selector(MessageSignatures.UnloadWithQos);
        public Sel CompiledModelExists { get; } = ObjC.Selector(MessageSignatures.CompiledModelExists);
        public Sel AneSubType { get; } = ObjC.Selector(MessageSignatures.AneSubType);
        public Sel HasAne { get; } = ObjC.Selector(MessageSignatures.HasAne);
        public Sel NumAneCores { get; } = ObjC.Selector(MessageSignatures.NumAneCores);
        public Sel Description { get; } = ObjC.Selector(MessageSignatures.Description);
    }
}
