// A tensor surface on macOS: an IOSurface (section 2 step 6), written under a write lock and read under a read-only lock.
using System.Runtime.Versioning;
using Orion.Engine.Ane.Apple.Native;

namespace Orion.Engine.Ane.Apple;

[SupportedOSPlatform("macos")]
internal sealed unsafe class AppleSurface : AneSurface
{
    private nint _handle;
    private readonly int _byteCount;

    public AppleSurface(int byteCount, object owner)
    {
        _byteCount = byteCount;
        Owner = owner;
        _handle = IOSurfaceApi.Create(byteCount);
        var alloc = IOSurfaceApi.AllocSize(_handle);
        if (alloc < byteCount)
        {
            CF.Release(_handle);
            _handle = 0;
            throw new AneNativeException("surfaces (step 6)", "IOSurfaceCreate", $"asked for {byteCount:N0} bytes, got an allocation of {alloc:N0}");
        }
    }

    /// <summary>The device that created the surface (surfaces are bound only to its programs).</summary>
    public object Owner { get; }

    public nint Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle == 0, this);
            return _handle;
        }
    }

    public override int ByteCount => _byteCount;

    /// <summary>False once disposed (a cached request bound to it must not be reused).</summary>
    public bool IsAlive => Volatile.Read(ref _handle) != 0;

    public override void Write(ReadOnlySpan<byte> data)
    {
        var h = Handle;
        var address = IOSurfaceApi.Lock(h, readOnly: false);
        try
        {
            SurfaceProperties.WritePacked(new Span<byte>((void*)address, _byteCount), data);
        }
        catch
        {
            IOSurfaceApi.TryUnlock(h, readOnly: false); // the copy's error is the one to report
            throw;
        }
        IOSurfaceApi.Unlock(h, readOnly: false);
        GC.KeepAlive(this); // the finalizer must not release the surface while it is locked
    }

    public override void Read(Span<byte> destination)
    {
        var h = Handle;
        var address = IOSurfaceApi.Lock(h, readOnly: true);
        try
        {
            SurfaceProperties.ReadPacked(new ReadOnlySpan<byte>((void*)address, _byteCount), destination);
        }
        catch
        {
            IOSurfaceApi.TryUnlock(h, readOnly: true);
            throw;
        }
        IOSurfaceApi.Unlock(h, readOnly: true);
        GC.KeepAlive(this);
    }

    protected override void Dispose(bool disposing)
    {
        // A request that still holds the surface keeps it alive: _ANEIOSurfaceObject retained it (objectWithIOSurface:).
        var h = Interlocked.Exchange(ref _handle, 0);
        if (h != 0) CF.Release(h);
        base.Dispose(disposing);
    }

    ~AppleSurface() => Dispose(false);
}
